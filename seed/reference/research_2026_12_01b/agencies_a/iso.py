import json, unicodedata, re
d = json.load(open('/usr/share/iso-codes/json/iso_3166-1.json'))['3166-1']
def norm(s):
    s = unicodedata.normalize('NFKD', s).encode('ascii','ignore').decode().lower()
    s = s.replace('&',' and ').replace('st.','saint').replace('st ','saint ')
    return re.sub(r'[^a-z]+',' ',s).strip()
IDX = {}
for e in d:
    for k in ('name','official_name','common_name'):
        if k in e: IDX.setdefault(norm(e[k]), e['alpha_2'])
ALIAS = {
 'iran islamic republic of':'IR','bolivia plurinational state of':'BO','venezuela bolivarian republic of':'VE',
 'republic of korea':'KR','korea republic of':'KR',"democratic people s republic of korea":'KP',
 'republic of moldova':'MD','united republic of tanzania':'TZ','tanzania united republic of':'TZ',
 'united kingdom of great britain and northern ireland':'GB','united kingdom':'GB','united states of america':'US','united states':'US',
 'russian federation':'RU','russia':'RU','syrian arab republic':'SY','syria':'SY','lao people s democratic republic':'LA','laos':'LA',
 'viet nam':'VN','vietnam':'VN','turkey':'TR','turkiye':'TR','czech republic':'CZ','czechia':'CZ','north macedonia':'MK',
 'the former yugoslav republic of macedonia':'MK','swaziland':'SZ','eswatini':'SZ','cabo verde':'CV','cape verde':'CV',
 "cote d ivoire":'CI','democratic republic of the congo':'CD','congo democratic republic of the':'CD','congo':'CG',
 'micronesia federated states of':'FM','micronesia':'FM','brunei darussalam':'BN','brunei':'BN','sao tome and principe':'ST',
 'saint kitts and nevis':'KN','saint lucia':'LC','saint vincent and the grenadines':'VC','gambia':'GM','the gambia':'GM',
 'bahamas':'BS','the bahamas':'BS','holy see':'VA','vatican':'VA','state of palestine':'PS','palestine':'PS',
 'netherlands':'NL','netherlands kingdom of the':'NL','kingdom of the netherlands':'NL','timor leste':'TL','myanmar':'MM',
 'cook islands':'CK','niue':'NU','european union':'', 'bosnia and herzegovina':'BA','guinea bissau':'GW',
}
def code(name):
    n = norm(name)
    if n in ALIAS: return ALIAS[n]
    return IDX.get(n)
