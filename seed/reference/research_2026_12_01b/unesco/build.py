#!/usr/bin/env python3
"""Builds lists.csv and members_unesco.csv from the transcriptions in raw/.
Every value in raw/ was transcribed from a page read with the search tools on 2026-12-01."""
import csv, json, re, datetime, collections

ISO = json.load(open('/usr/share/iso-codes/json/iso_3166-1.json'))['3166-1']
A3 = {c['alpha_3']: c['alpha_2'] for c in ISO}
NAME = {}
for c in ISO:
    for k in ('name', 'official_name', 'common_name'):
        if k in c:
            NAME[c[k].lower()] = c['alpha_2']
# names on pages that do not match iso-codes name/official_name/common_name exactly
OVERRIDE = {
    'cape verde': 'CV', 'congo': 'CG', 'democratic republic of the congo': 'CD',
    'iran': 'IR', 'north korea': 'KP', 'south korea': 'KR', 'republic of macedonia': 'MK',
    'federated states of micronesia': 'FM', 'moldova': 'MD', 'palestine': 'PS',
    'swaziland': 'SZ', 'united republic of tanzania': 'TZ', 'turkey': 'TR',
    'united kingdom of great britain and northern ireland': 'GB', 'venezuela': 'VE',
    'vietnam': 'VN', 'czech republic': 'CZ', 'bolivia': 'BO',
    "lao people's democratic republic": 'LA', 'russian federation': 'RU',
    'são tomé and príncipe': 'ST', 'syrian arab republic': 'SY', 'brunei darussalam': 'BN',
    'gambia': 'GM', 'netherlands': 'NL', 'china': 'CN', 'united states of america': 'US',
}
MANUAL_MATCHES = set()

def code_for(name):
    n = re.sub(r'\[[^\]]*\]', '', name).strip().lower()
    if n in NAME:
        return NAME[n]
    if n in OVERRIDE:
        MANUAL_MATCHES.add((name, OVERRIDE[n]))
        return OVERRIDE[n]
    raise KeyError(name)

MONTHS = {m: i for i, m in enumerate(['january','february','march','april','may','june','july','august',
                                       'september','october','november','december'], 1)}
def dmy_words(s):
    d, m, y = s.split()
    return '%s-%02d-%02d' % (y, MONTHS[m.lower()], int(d))
def dmy_slash(s):
    d, m, y = s.split('/')
    return '%s-%s-%s' % (y, m, d)

lists = []   # dicts
members = [] # dicts

def add_list(**kw):
    lists.append(kw)
def add_member(list_id, code, name, since, prec, status, quote):
    members.append(dict(list_id=list_id, country_code=code, country_name_on_page=name,
                        member_since=since, member_since_precision=prec, status_on_page=status, quote=quote))

# 1. UNESCO ListeMS (Archive-It capture 2021-03-21), entries 1-18 visible in the excerpt
LID = 'unesco_listems_2021'
add_list(organization='unesco', list_id=LID,
         url='https://webarchive.unesco.org/web/20201204202223/https://pax.unesco.org/xml_files/CRM_PROD_Outbound/ListeMS.asp?language=E&type=A',
         title='List of the Member States and the Associate Members of UNESCO and the date on which they became Members (or Associate Members) of the Organization',
         publisher='UNESCO (Archive-It copy, UNESCO collection)', kind='official_text',
         page_date='2021-03-21', page_date_precision='day',
         page_date_evidence='banner: "This page was captured on 22:16:35 Mar 21, 2021"',
         count_stated='', complete='no')
for row in csv.reader(open('raw/listems_2021.tsv'), delimiter='\t'):
    n, name, d, a3 = row
    add_member(LID, A3[a3], name, dmy_slash(d), 'day', 'member', '%s %s ... %s %s' % (n, name, d, a3))

# 2. ar.unesco.org letter page
LID = 'unesco_ar_countries_ba'
add_list(organization='unesco', list_id=LID, url='https://ar.unesco.org/countries/%D8%A8',
         title='Member States List (Arabic UNESCO site, letter ب)', publisher='UNESCO', kind='organization_statement',
         page_date='', page_date_precision='unknown',
         page_date_evidence='no date shown; header "The Organization has 193 Members and 11 Associate Members" (193 members fits the period after the US and Israeli withdrawals took effect on 31 Dec 2018 and before the US return in July 2023; this is an inference, not stated)',
         count_stated='193', complete='no')
for row in csv.reader(open('raw/ar_unesco_ba.tsv'), delimiter='\t'):
    status, code, name, d = row
    head = 'Associate member list' if status == 'associate' else 'Member States List'
    add_member(LID, code, name, dmy_slash(d), 'day', status,
               '%s ... %sISO Code: %s Joined Unesco: %s' % (head, (name + ' ') if name else '', code, d))

# 3. single-country pages (records.tsv)
KIND = {}
def kind_of(url):
    if 'unesco.org' in url and 'docslib' not in url and 'unesco.org.cy' not in url:
        return 'organization_statement'
    if any(k in url for k in ('expreso.ec', 'cas.sk', 'radioreloj', 'lbcgroup', 'pearlfmradio', 'mnialive', 'theanguillian', 'macaonews', 'agpgabon', 'myjoyonline')):
        return 'news'
    return 'other'
seen = collections.OrderedDict()
for r in csv.DictReader(open('raw/records.tsv'), delimiter='\t'):
    url = r['url']
    if url not in seen:
        seen[url] = len(seen) + 1
        cap = r['capture'].rstrip('*')
        if 'webarchive.unesco.org' in url:
            ev = 'Archive-It capture date %s (from the banner, or from the timestamp in the URL where the banner was not in the excerpt)' % cap
            pd, pp = cap, 'day'
        elif cap:
            ev = 'date shown on the page: %s' % cap
            pd, pp = cap, {10: 'day', 7: 'month', 4: 'year'}[len(cap)]
        elif '/eri/cp/cp-print' in url:
            pd, pp = '', 'unknown'
            ev = 'no date shown; country profile lists speeches up to the 37th session of the General Conference (2013), so written 2013 or later'
        elif 'member-states-portal' in url:
            pd, pp = '', 'unknown'
            ev = 'no date shown; page says "The Organization has 193 Members and 12 Associate Members" and "The withdrawal of Israel and of the United States of America will bring the number of UNESCO\'s Member States to 193" (so text written after Dec 2017 and not updated for the US return of July 2023)'
        else:
            pd, pp = '', 'unknown'
            ev = 'no date shown in the excerpt'
        lid = 'unesco_page_%s_%d' % (r['code'].lower(), seen[url])
        KIND[url] = lid
        add_list(organization='unesco', list_id=lid, url=url,
                 title='single-country statement of UNESCO membership: %s' % (r['name_on_page'] or r['code']),
                 publisher=url.split('/')[2] if 'webarchive' not in url else 'UNESCO (Archive-It copy of portal.unesco.org)',
                 kind=kind_of(url), page_date=pd, page_date_precision=pp, page_date_evidence=ev,
                 count_stated='', complete='yes')
    add_member(KIND[url], r['code'], r['name_on_page'], r['date_iso'], r['precision'], r['status'], r['quote'])

# 4. reference-work copies of Wikipedia "Member states of UNESCO"
REF = [
 ('unesco_wp_copy_almpr_2015', 'raw/github_almPr_heart_country.txt',
  'https://github.com/MdAbdullahAlm/almPr/blob/371c8afd28f681328aaf3c184effd3b8062c6766/Heart%20Country.php',
  'Member states of UNESCO (copy of the Wikipedia article in a public GitHub PHP file)', 'GitHub user MdAbdullahAlm (copy of Wikipedia)',
  '2015-11', 'month', 'text: "As of November 2015, UNESCO members include 195 member states and 10 associate members"; page header "Date:13-jun-18"',
  '195', 'yes'),
 ('unesco_wp_academic_2011', 'raw/en_academic_2011.txt', 'https://en-academic.com/dic.nsf/enwiki/11724394',
  'Member states of UNESCO (en-academic copy of Wikipedia)', 'en-academic.com', '2011-11', 'month',
  'text: "As of November 2011, UNESCO members include 194 member states and 8 associate members"', '194', 'no'),
 ('unesco_wp_zproxy_2023', 'raw/wiki_zproxy_2023.txt', 'https://en-m-wikipedia-org.zproxy.org/wiki/Member_states_of_UNESCO',
  'Member states of UNESCO (proxy copy of English Wikipedia)', 'Wikipedia (via zproxy.org)', '2023-07', 'month',
  'text: "The 194 UNESCO member states, as of July 2023, with the date on which they became members"', '194', 'no'),
]
for lid, path, url, title, pub, pd, pp, ev, cnt, comp in REF:
    add_list(organization='unesco', list_id=lid, url=url, title=title, publisher=pub, kind='reference_work',
             page_date=pd, page_date_precision=pp, page_date_evidence=ev, count_stated=cnt, complete=comp)
    for line in open(path, encoding='utf-8'):
        line = line.strip()
        m = re.match(r'^(.*?) \((\d{1,2} \w+ \d{4})\)(.*)$', line)
        name, d = m.group(1), m.group(2)
        add_member(lid, code_for(name), name, dmy_words(d), 'day', 'member', line)

LF = ['organization','list_id','url','title','publisher','kind','page_date','page_date_precision','page_date_evidence','count_stated','complete']
MF = ['list_id','country_code','country_name_on_page','member_since','member_since_precision','status_on_page','quote']
with open('lists.csv', 'w', newline='', encoding='utf-8') as f:
    w = csv.DictWriter(f, LF); w.writeheader(); w.writerows(lists)
with open('members_unesco.csv', 'w', newline='', encoding='utf-8') as f:
    w = csv.DictWriter(f, MF); w.writeheader(); w.writerows(members)
valid = {c['alpha_2'] for c in ISO}
bad = [m for m in members if m['country_code'] not in valid]
assert not bad, bad
print('lists', len(lists), 'member rows', len(members))
print('manual name matches:', sorted(MANUAL_MATCHES))
