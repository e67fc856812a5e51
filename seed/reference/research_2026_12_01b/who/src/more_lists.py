# Executed by build.py (shares LISTS / MEMBERS). Transcriptions of search-tool excerpts read 2026-12-01.
MON = {m:i+1 for i,m in enumerate(['Jan','Feb','Mar','Apr','May','Jun','Jul','Aug','Sep','Oct','Nov','Dec'])}
DMON = {'Januar':1,'Februar':2,'März':3,'April':4,'Mai':5,'Juni':6,'Juli':7,'August':8,'September':9,'Oktober':10,'November':11,'Dezember':12}
def iso_en(d):  # '19 Apr 1948'
    a,b,c = d.split(); return f'{int(c):04d}-{MON[b]:02d}-{int(a):02d}'
def iso_de(d):  # '19. April 1948'
    a,b,c = d.replace('.','').split(); return f'{int(c):04d}-{DMON[b]:02d}-{int(a):02d}'
def add(lid, cc, name, since, prec, status, quote):
    MEMBERS.append(dict(list_id=lid, country_code=cc, country_name_on_page=name, member_since=since,
        member_since_precision=prec, status_on_page=status, quote=quote))

# ---- ampeid.org: Constitution of WHO, states parties (first 10 rows shown in excerpt) ----
L='who_ampeid_constitution_parties_2020'
LISTS.append(dict(organization='who', list_id=L, url='https://ampeid.org/treaties/world-health-organization/',
  title='Constitution of the World Health Organization (WHO) - States parties', publisher='AMPEID (ampeid.org)',
  kind='reference_work', page_date='2020-01-01', page_date_precision='day',
  page_date_evidence='"Latest update1 Jan 2020"; table "Showing 1 to 10 of 206 countries" (206 = all rows of the table incl. non-parties, not a member count)',
  count_stated='', complete='no'))
for cc,name,sig,acc,eif in [
 ('AF','Afghanistan','','19 Apr 1948','19 Apr 1948'),
 ('AL','Albania','22 Jul 1946','26 May 1947','7 Apr 1948'),
 ('DZ','Algeria','','8 Nov 1962','8 Nov 1962'),
 ('AD','Andorra','','15 Jan 1997','15 Jan 1997'),
 ('AO','Angola','','15 May 1976','15 May 1976'),
 ('AG','Antigua and Barbuda','','12 Mar 1984','12 Mar 1984'),
 ('AR','Argentina','22 Jul 1946','22 Oct 1948','22 Oct 1948'),
 ('AM','Armenia','','4 May 1992','4 May 1992'),
 ('AU','Australia','22 Jul 1946','2 Feb 1948','7 Apr 1948'),
 ('AT','Austria','22 Jul 1946','30 Jun 1947','7 Apr 1948')]:
    add(L, cc, name, iso_en(eif), 'day', 'member', f'{name}Party{sig}{acc}{eif}')

# ---- German Federal Law Gazette BGBl. II 1974 p.43: entry into force for states (first column block) ----
L='who_bgbl_1974_satzung'
LISTS.append(dict(organization='who', list_id=L,
  url="http://www.bgbl.de/Xaver/start.xav?startbk=Bundesanzeiger_BGBl&bk=Bundesanzeiger_BGBl&start=//*%5B@attr_id=%27bgbl274s0043.pdf%27%5D",
  title='Bekanntmachung der Satzung der Weltgesundheitsorganisation vom 22. Januar 1974 (BGBl. II 1974 Nr. 4, S. 43)',
  publisher='Bundesgesetzblatt (Federal Republic of Germany)', kind='official_text', page_date='1974-01-22', page_date_precision='day',
  page_date_evidence='"Bekanntmachung der Satzung der Weltgesundheitsorganisation Vom 22. Januar 1974"; issue "Bonn, den 29. Januar 1974"',
  count_stated='', complete='no'))
names = ['Afghanistan','Ägypten','Albanien','Algerien','Argentinien','Äthiopien','Australien','Bahrain','Bangladesch','Barbados',
 'Belgien','Birma','Bolivien','Brasilien','Bulgarien','Burundi','Chile','China (Taiwan)','Costa Rica','Dahome','Dänemark',
 'Dominikanische Republik','Ecuador','Elfenbeinküste','El Salvador','Fidschi','Finnland','Frankreich','Gabun','Gambia','Ghana',
 'Griechenland','Guatemala']
dates = ['19. April 1948','16. Dezember 1947','26. Mai 1947','8. November 1962','22. Oktober 1948','11. April 1947','2. Februar 1948',
 '2. November 1971','19. Mai 1972','25. April 1967','25. Juni 1948','1. Juli 1948','23. Dezember 1949','2. Juni 1948','9. Juni 1948',
 '22. Oktober 1962','15. Oktober 1948','22. Juli 1946','17. März 1949','20. September 1960','19. April 1948','21. Juni 1948',
 '1. März 1949','28. Oktober 1960','22. Juni 1948','1. Januar 1972','7. Oktober 1947','16. Juni 1948','21. November 1960',
 '26. April 1971','8. April 1957','12. März 1948','26. August 1949']
assert len(names)==len(dates)==33
DE = {'Afghanistan':'AF','Ägypten':'EG','Albanien':'AL','Algerien':'DZ','Argentinien':'AR','Äthiopien':'ET','Australien':'AU',
 'Bahrain':'BH','Bangladesch':'BD','Barbados':'BB','Belgien':'BE','Birma':'MM','Bolivien':'BO','Brasilien':'BR','Bulgarien':'BG',
 'Burundi':'BI','Chile':'CL','Costa Rica':'CR','Dahome':'BJ','Dänemark':'DK','Dominikanische Republik':'DO','Ecuador':'EC',
 'Elfenbeinküste':'CI','El Salvador':'SV','Fidschi':'FJ','Finnland':'FI','Frankreich':'FR','Gabun':'GA','Gambia':'GM','Ghana':'GH',
 'Griechenland':'GR','Guatemala':'GT'}
for n,d in zip(names,dates):
    if n=='China (Taiwan)': continue   # not mapped, see NOTES.md
    q = {'1. Juli 1948':'l.Juli 1948','1. März 1949':'l.März 1949'}.get(d, d)  # verbatim page form (OCR "l." for "1.")
    add(L, DE[n], n, iso_de(d), 'day', 'member', f'Die Satzung ist ferner für folgende Staaten in Kraft getreten: ... {n} ... am {q}')
add(L,'DE','Bundesrepublik Deutschland','1951-05-29','day','member',
    'Satzung der Weltgesundheitsorganisation ist nach ihrem Artikel 79 Buchstabe b für die Bundesrepublik Deutschland am 29. Mai 1951 in Kraft getreten')

# ---- Austrian RIS notice (copy on 360.lexisnexis.at), in force since 16.9.1951 ----
L='who_ris_at_kundmachung_1951'
LISTS.append(dict(organization='who', list_id=L,
  url='https://360.lexisnexis.at/d/rechtsnorm-ris/artikel_1_weltgesundheitsorganisation_satzung/L-20003726-A1',
  title='Artikel 1 Weltgesundheitsorganisation – Satzung (Austrian notice on new parties, "In Kraft seit 16.9.1951"), RIS document NOR40057593',
  publisher='Republic of Austria, Rechtsinformationssystem (RIS), copy hosted by LexisNexis Austria', kind='official_text',
  page_date='1951-09-16', page_date_precision='day',
  page_date_evidence='"Aktuelle FassungIn Kraft seit 16.9.1951"; record "Zuletzt aktualisiert am 17.04.2020"',
  count_stated='', complete='no'))
add(L,'CU','Cuba','1950-05-09','day','member','hat Cuba die Ratifikationsurkunde ... am 9. Mai 1950 beim Generalsekretär der Vereinten Nationen hinterlegt. Mit dem Tage der Hinterlegung dieser Ratifikationsurkunde ist die Satzung der Weltgesundheitsorganisation für Cuba wirksam geworden')
for cc,n,d in [('BO','Bolivien','23. Dezember 1949'),('KH','Cambodia','17. Mai 1950'),('LA','Laos','17. Mai 1950'),
               ('ID','die Republik Indonesien','23. Mai 1950'),('PA','Panama','20. Februar 1951'),('JP','Japan','16. Mai 1951'),
               ('ES','Spanien','28. Mai 1951'),('DE','die Bundesrepublik Deutschland','29. Mai 1951')]:
    add(L,cc,n,iso_de(d),'day','member',f'Folgende Staaten sind der Satzung der Weltgesundheitsorganisation mit Wirksamkeit an nachstehend angegebenen Zeitpunkten beigetreten: ... {n} am {d}')

# ---- single-state pages ----
def single(lid,url,title,publisher,kind,pdate,pprec,pev,cnt,cc,name,since,sprec,status,quote):
    LISTS.append(dict(organization='who', list_id=lid, url=url, title=title, publisher=publisher, kind=kind, page_date=pdate,
        page_date_precision=pprec, page_date_evidence=pev, count_stated=cnt, complete='yes'))
    add(lid,cc,name,since,sprec,status,quote)
single('who_wpro_palau','https://multimedia.wpro.who.int/galleries/380/palau','Palau (WHO Western Pacific Region multimedia library gallery)',
  'WHO Regional Office for the Western Pacific','organization_statement','','unknown','no date shown in the excerpt','',
  'PW','Palau','1995-03-09','day','member','On 9 March 1995, Palau joined WHO as one of its Member States.')
single('who_mfai_cook_islands','https://mfai.gov.ck/news-updates/who-affirm-ongoing-health-support-cook-islands',
  'WHO affirm ongoing health support to the Cook Islands','Cook Islands Ministry of Foreign Affairs and Immigration','other',
  '2024','year','no date in excerpt; "this year marks 40 years" since 9 May 1984, so 2024','',
  'CK','Cook Islands','1984-05-09','day','member','"The Cook Islands has been a member of the WHO since the 9 May 1984 and this year marks 40 years of partnership'
  ' and co-operation between the Cook Islands and the WHO," said Secretary Herrmann.')
single('who_polhn_niue','https://polhn.org/learning-centres/niue','Niue (POLHN learning centres)','Pacific Open Learning Health Net (POLHN)',
  'other','','unknown','no date in excerpt; names "Dr Baoping Yang" as WHO Representative','',
  'NU','Niue','1994-05-04','day','member','Niue joined WHO on 4th May 1994.')
single('who_un_news_south_sudan_2011','https://news.un.org/en/story/2011/09/389602-south-sudan-becomes-newest-member-un-health-agency',
  'South Sudan becomes newest member of UN health agency','UN News','news','2011-09-27','day','"27 September 2011"','194',
  'SS','South Sudan','2011-09-27','day','member','27 September 2011 ... South Sudan, today became a member of the World Health Organization (WHO)'
  ' after accepting the constitution ... becomes the 194th member of WHO')
single('who_int_timor_leste_joins','http://www.who.int/mediacentre/news/releases/who74/en/','Timor-Leste joins WHO (media centre news release)',
  'World Health Organization','organization_statement','','unknown',
  'no date line in excerpt; text: "became a sovereign country on 20 May 2002" and instrument accepted "on 27 September" (year not stated)','192',
  'TL','Timor-Leste','','','member','The Democratic Republic of Timor-Leste (formerly East Timor) has become the 192nd Member State of the World Health'
  ' Organization (WHO). ... formally accepted Timor-Leste\'s instrument of acceptance on 27 September.')
single('who_wha22_6_mauritius','https://123dok.net/document/z3d32l2d-wha-assessment-new-members-assessment-mauritius-southern-yemen.html',
  'WHA22.6 Assessment of New Members; Assessment of Mauritius and of Southern Yemen (copy on 123dok.net)',
  'World Health Organization (Twenty-second World Health Assembly); copy: 123dok.net','official_text','','unknown',
  'resolution of the Twenty-second World Health Assembly; no date in excerpt (it refers to events of 1968)','',
  'MU','Mauritius','1968-12-09','day','member','Mauritius, having been an Associate Member since 9 May 1963, became a Member of the Organization by'
  ' depositing with the Secretary-General of the United Nations a formal instrument of acceptance of the WHO Constitution on 9 December 1968')
single('who_samoa_office_story','https://www.findhealthclinics.com/WS/Apia/576673759391605/WHO-Samoa%2C-American-Samoa%2C-Cook-Islands%2C-Niue-and-Tokelau',
  'WHO Samoa, American Samoa, Cook Islands, Niue and Tokelau - "Our Story" (directory copy of the office\'s page)','findhealthclinics.com (copy)',
  'other','','unknown','no date in excerpt; mentions the July 1997 renaming, so after 1997','',
  'WS','Western Samoa','1962-05-16','day','member','Western Samoa joined the World Health Organization on 16 May 1962 as a Member State')

# ---- associate members (third-party reference) ----
L='who_pallipedia_associates'
LISTS.append(dict(organization='who', list_id=L, url='https://pallipedia.org/who-world-health-organization',
  title='WHO - World Health Organization (Pallipedia glossary entry)', publisher='Pallipedia', kind='reference_work',
  page_date='', page_date_precision='unknown',
  page_date_evidence='no date; says "The WHO has 193 Member States", so written before South Sudan joined (27 Sep 2011)',
  count_stated='193', complete='yes'))
for cc,n in [('NU','Niue'),('CK','Cook Islands')]:
    add(L,cc,n,'','','member','The WHO has 193 Member States, including all UN Member States except Liechtenstein, and two non-UN members, Niue and the Cook Islands.')
for cc,n in [('PR','Puerto Rico'),('TK','Tokelau')]:
    add(L,cc,n,'','','associate','Puerto Rico and Tokelau are Associate Members')

# ---- UN Treaty Series 1960, Annex A (copy on docslib.org): acceptances of the WHO Constitution ----
L='who_unts_1960_annexA_acceptances'
LISTS.append(dict(organization='who', list_id=L, url='https://docslib.org/download/7427780/380-united-nations-treaty-series-1960',
  title='United Nations Treaty Series 1960, Annex A, No. 221 Constitution of the World Health Organization: Acceptances (p. 380)',
  publisher='United Nations (depositary publication); copy: docslib.org', kind='official_text', page_date='1960', page_date_precision='year',
  page_date_evidence='"380 United Nations Treaty Series 1960"; amendments "Registered ex officio on 25 October 1960"',
  count_stated='', complete='yes'))
for cc,n,d in [('CG','CONGO (Brazzaville)','26 October 1960'),('CI','IVORY COAST','28 October 1960'),('SN','SENEGAL','31 October 1960')]:
    a,b,c=d.split(); iso=f"{c}-{ {'October':10}[b]:02d}-{int(a):02d}"
    add(L,cc,n,iso,'day','member',f'ACCEPTANCES Instruments deposited on : ... {d} {n}')
