import json,unicodedata,re
D=json.load(open('/usr/share/iso-codes/json/iso_3166-1.json'))['3166-1']
def norm(s):
    s=s.replace('’',"'").replace('‘',"'")
    s=unicodedata.normalize('NFKD',s); s=''.join(c for c in s if not unicodedata.combining(c))
    return re.sub(r'\s+',' ',s).strip().lower()
IDX={}
for e in D:
    for k in ('name','official_name','common_name'):
        if k in e: IDX.setdefault(norm(e[k]),e['alpha_2'])
MANUAL={ # page name -> alpha2 (checked against iso-codes names; see NOTES)
 'turkey':'TR','czech republic':'CZ','swaziland':'SZ','cape verde':'CV',
 "democratic people's republic of korea":'KP','republic of korea':'KR','republic of moldova':'MD',
 'united republic of tanzania':'TZ','the former yugoslav republic of macedonia':'MK',
 'netherlands':'NL','netherlands (kingdom of the)':'NL','turkiye':'TR',
 'micronesia (federated states of)':'FM','bolivia (plurinational state of)':'BO',
 'venezuela (bolivarian republic of)':'VE','iran (islamic republic of)':'IR',
 "lao people's democratic republic":'LA','syrian arab republic':'SY','viet nam':'VN',
 'united kingdom of great britain and northern ireland':'GB','russian federation':'RU',
 'united states of america':'US','democratic republic of the congo':'CD','brunei darussalam':'BN',"cote d'ivoire":'CI',
}
def code(name):
    n=norm(re.sub(r'\s*\(not a member of the United Nations\)','',name))
    if n in MANUAL: return MANUAL[n]
    return IDX.get(n)
