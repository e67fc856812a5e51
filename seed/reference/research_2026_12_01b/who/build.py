#!/usr/bin/env python3
"""Builds lists.csv and members_who.csv from transcribed source material in src/.
Every row's quote is taken verbatim from the transcribed source text."""
import csv, sys, os
sys.path.insert(0, os.path.join(os.path.dirname(__file__), 'src'))
from iso import code
HERE = os.path.dirname(os.path.abspath(__file__))
LISTS = []   # dicts
MEMBERS = [] # dicts

# ---- List 1: WHA74.13 scale of assessments 2022-2023 (camelot extraction on GitHub) ----
L1 = 'who_wha74_13_scale_2022_2023'
LISTS.append(dict(organization='who', list_id=L1,
  url='https://github.com/Hiromisa/08-homework/blob/b76b8b47bfac0c1efc5b6d9f4f8e2a4889528558/whotest.csv',
  title='Resolution WHA74.13, Scale of assessments for 2022-2023 (table "Members and Associate Members / WHO scale for 2022–2023 %"), CSV extraction of A74_R13-en.pdf',
  publisher='World Health Organization (Seventy-fourth World Health Assembly); copy: GitHub user Hiromisa, camelot extraction',
  kind='official_text', page_date='2021-05-31', page_date_precision='day',
  page_date_evidence='last table row: "Seventh plenary meeting, 31 May 2021" / "A74/VR/7"; scale applies to 2022-2023',
  count_stated='', complete='yes'))
rows = list(csv.reader(open(os.path.join(HERE,'src','hiromisa_whotest.csv'), encoding='utf-8')))[1:]
pend = None
for r in rows:
    if r[1]: name, val = r[1], r[2]
    else: name, val = r[2], r[4]
    if name in ('Members and','Associate Members','','TOTAL','WHA74.13','%'): continue
    if pend: name = pend + ' ' + name; pend = None
    if not val: pend = name; continue
    c = code(name)
    assert c, name
    st = '' if c in ('PR','TK') else 'member'
    MEMBERS.append(dict(list_id=L1, country_code=c, country_name_on_page=name, member_since='',
       member_since_precision='', status_on_page=st, quote=f'{name} {val}'))

exec(open(os.path.join(HERE,'src','more_lists.py'), encoding='utf-8').read()) if os.path.exists(os.path.join(HERE,'src','more_lists.py')) else None

LF = ['organization','list_id','url','title','publisher','kind','page_date','page_date_precision','page_date_evidence','count_stated','complete']
MF = ['list_id','country_code','country_name_on_page','member_since','member_since_precision','status_on_page','quote']
with open(os.path.join(HERE,'lists.csv'),'w',newline='',encoding='utf-8') as f:
    w = csv.DictWriter(f, LF); w.writeheader(); w.writerows(LISTS)
with open(os.path.join(HERE,'members_who.csv'),'w',newline='',encoding='utf-8') as f:
    w = csv.DictWriter(f, MF); w.writeheader(); w.writerows(MEMBERS)
from collections import Counter
print(Counter(m['list_id'] for m in MEMBERS))
