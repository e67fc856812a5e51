import json,re,unicodedata
d=json.load(open('/usr/share/iso-codes/json/iso_3166-1.json'))['3166-1']
def norm(s):
    s=unicodedata.normalize('NFKD',s).encode('ascii','ignore').decode().lower()
    s=s.replace("’","'")
    return re.sub(r'[^a-z0-9]+',' ',s).strip()
idx={}
for e in d:
    for k in ('name','common_name','official_name'):
        if k in e: idx.setdefault(norm(e[k]),e['alpha_2'])
MANUAL={
 'Bahamas (The)':'BS','Gambia (Republic of The)':'GM','Guinea Bissau':'GW',
 "Côte D'Ivoire":'CI','Congo':'CG','Democratic Republic of the Congo':'CD',
 "Democratic People's Republic of Korea":'KP','Republic of Korea':'KR',
 'Netherlands (Kingdom of the)':'NL','Lao People’s Democratic Republic':'LA',
 'Micronesia (Federated States of)':'FM','Republic of Moldova':'MD',
 'Iran (Islamic Republic of)':'IR','Bolivia (Plurinational State of)':'BO',
 'Venezuela (Bolivarian Republic of)':'VE','United Republic of Tanzania':'TZ',
 'Syrian Arab Republic':'SY','Türkiye':'TR','Viet Nam':'VN',
 'United Kingdom of Great Britain and Northern Ireland':'GB','United States of America':'US',
 'Russian Federation':'RU','Czechia':'CZ','Eswatini':'SZ','North Macedonia':'MK','Cabo Verde':'CV',
 'Sao Tome and Principe':'ST','Brunei Darussalam':'BN','Libya':'LY','Timor-Leste':'TL',
}
def code(name):
    if name in MANUAL: return MANUAL[name]
    return idx.get(norm(name))
if __name__=='__main__':
    miss=[]
    for line in open('ethos_countries_list.txt',encoding='utf-8'):
        n,dt=line.rstrip('\n').rsplit(', ',1)
        c=code(n)
        if not c: miss.append(n)
    print('missing',miss)
    # check manual values exist in iso file and print their iso names
    codes={e['alpha_2']:e for e in d}
    for k,v in MANUAL.items(): print(k,'->',v,codes[v]['name'],codes[v].get('official_name',''))
