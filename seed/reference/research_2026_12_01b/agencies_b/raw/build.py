import csv, json, os
D = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
R = os.path.join(D, "raw")
iso = json.load(open("/usr/share/iso-codes/json/iso_3166-1.json"))["3166-1"]
a3 = {c["alpha_3"]: c["alpha_2"] for c in iso}
byname = {}
for c in iso:
    for k in ("name", "official_name", "common_name"):
        if k in c: byname[c[k].lower()] = c["alpha_2"]
manual = {  # page name -> alpha-2 (non-obvious matches, see NOTES)
 "bolivia": "BO", "brunei": "BN", "cape verde": "CV", "china [note 2]": "CN",
 "cambodia": "KH", "bosnia and herzegovina": "BA",
 # German names (Austrian gazette, ICAO)
 "kap verde": "CV", "mosambik": "MZ", "sao tomé und principe": "ST", "seychellen": "SC",
 "koreanische demokratische volksrepublik": "KP", "dschibuti": "DJ", "sankt lucia": "LC",
 "vietnam": "VN", "suriname": "SR", "angola": "AO", "gambia": "GM", "botswana": "BW",
 "monaco": "MC", "grenada": "GD",
}
def code(name):
    n = name.lower()
    return manual.get(n) or byname.get(n) or ""

M = {}  # org -> rows
def add(org, lid, cc, name, since, prec, status, quote):
    M.setdefault(org, []).append([lid, cc, name, since, prec, status, quote])

# ---- UNFCCC (a) countrygroups @1384bae: unfccc.int status table copy; member_since = entry into force
for r in csv.DictReader(open(os.path.join(R, "unfccc_countrygroups_1384bae.csv"), encoding="utf-8")):
    line = ",".join([r["Code"], ('"%s"' % r["Participant"]) if "," in r["Participant"] else r["Participant"], r["Signature"],
                     r["Ratification-Acceptance-Accession-Approval-Succession"], r["Kind"], r["Entry-Into-Force"]])
    add("unfccc", "unfccc_cg_unfccc_int", a3.get(r["Code"], ""), r["Participant"], r["Entry-Into-Force"], "day", "member", line)
# ---- UNFCCC (b) countrygroups @8b1dfff: UNTC-derived copy; member_since = date of deposit of instrument
for r in csv.DictReader(open(os.path.join(R, "unfccc_countrygroups_8b1dfff.csv"), encoding="utf-8")):
    line = ",".join([r["Code"], r["Name"], r["Signature"], r["Ratification-Acceptance-Accession-Approval-Succession"], r["Kind"]])
    add("unfccc", "unfccc_cg_untc", a3.get(r["Code"], ""), r["Name"], r["Ratification-Acceptance-Accession-Approval-Succession"], "day", "member", line)

# ---- IMO countrygroups @8b1dfff: copy of imo.org Member States page; member_since = date of joining
for r in csv.DictReader(open(os.path.join(R, "imo_countrygroups_8b1dfff.csv"), encoding="utf-8")):
    add("imo", "imo_cg_memberstates", a3[r["Code"]], r["Name"], r["Date"], "day", "member", ",".join([r["Code"], r["Name"], r["Date"]]))
add("imo", "imo_news_botswana_2021", "BW", "Republic of Botswana", "2021-10-22", "day", "member",
    "Botswana deposited its instrument of acceptance to the IMO Convention with the United Nations on 22 October 2021.")
add("imo", "imo_news_kyrgyzstan_2024", "KG", "Kyrgyzstan", "2024-02-27", "day", "member",
    "The deposit of Kyrgyzstan's instrument of acceptance to the IMO Convention on February 27, 2024")
add("imo", "imo_press_comoros_2001", "KM", "Comoros Islands", "2001-08-03", "day", "member",
    "The Comoros Islands has become a Member of the International Maritime Organization (IMO), following its deposit, on 3 August 2001, of an instrument of acceptance")
for name, cc in (("The Faroe Islands (Denmark)", "FO"), ("Hong Kong (China)", "HK"), ("Macau (China)", "MO")):
    add("imo", "imo_press_faroes_2003", cc, name, "", "", "associate",
        "IMO now has 162 Member States and three Associate Members, which are: The Faroe Islands (Denmark); Hong Kong (China); and Macau (China).")

# ---- IAEA wikimili (reference work), "Date of ratification" column; excerpt ends at Cook Islands
iaea = [("Afghanistan","May 31, 1957"),("Albania","August 23, 1957"),("Algeria","December 24, 1963"),("Angola","November 9, 1999"),
("Antigua and Barbuda","October 14, 2015"),("Argentina","October 3, 1957"),("Armenia","September 27, 1993"),("Australia","July 29, 1957"),
("Austria","May 10, 1957"),("Azerbaijan","May 30, 2001"),("Bahamas","January 7, 2014"),("Bahrain","June 23, 2009"),
("Bangladesh","September 27, 1972"),("Barbados","November 20, 2015"),("Belarus","April 8, 1957"),("Belgium","April 29, 1958"),
("Belize","March 31, 2006"),("Benin","May 26, 1999"),("Bolivia","March 15, 1963"),("Bosnia and Herzegovina","September 19, 1995"),
("Botswana","March 20, 2002"),("Brazil","July 29, 1957"),("Brunei","February 18, 2014"),("Bulgaria","August 17, 1957"),
("Burkina Faso","September 14, 1998"),("Burundi","June 24, 2009"),("Cambodia","November 23, 2009 [Note 1]"),("Cameroon","July 13, 1964"),
("Canada","July 29, 1957"),("Cape Verde","April 4, 2023"),("Central African Republic","January 5, 2001"),("Chad","November 2, 2005"),
("Chile","September 19, 1960"),("China [Note 2]","January 1, 1984"),("Colombia","September 30, 1960"),("Comoros","September 17, 2020")]
import datetime
for n, d in iaea:
    dd = datetime.datetime.strptime(d.replace(" [Note 1]", ""), "%B %d, %Y").date().isoformat()
    add("iaea", "iaea_wikimili_2024", code(n), n, dd, "day", "member", "%s | %s |" % (n, d))
add("iaea", "iaea_wikimili_2024", "CK", "Cook Islands", "", "", "member", "Cook Islands | October 17")

# ---- ICAO: Austrian federal gazette notice (copy on lexisnexis.at), further accessions to the Chicago Convention
icao = [("Suriname","5. März 1976","1976-03-05"),("Kap Verde","18. September 1976","1976-09-18"),("Mosambik","5. Jänner 1977","1977-01-05"),
("Sao Tomé und Principe","28. Feber 1977","1977-02-28"),("Angola","11. März 1977","1977-03-11"),("Seychellen","25. April 1977","1977-04-25"),
("Gambia","13. Mai 1977","1977-05-13"),("Koreanische Demokratische Volksrepublik","16. August 1977","1977-08-16"),("Dschibuti","30. Juni 1978","1978-06-30"),
("Botswana","28. Dezember 1978","1978-12-28"),("Sankt Lucia","20. November 1979","1979-11-20"),("Monaco","4. Jänner 1980","1980-01-04"),
("Vietnam","12. April 1980","1980-04-12"),("Grenada","30. September 1981","1981-09-30")]
for n, dtxt, d in icao:
    add("icao", "icao_at_bgbl_accessions", code(n), n, d, "day", "member", "%s %s" % (n, dtxt))

hdr = ["list_id","country_code","country_name_on_page","member_since","member_since_precision","status_on_page","quote"]
for org, rows in M.items():
    with open(os.path.join(D, "members_%s.csv" % org), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f); w.writerow(hdr); w.writerows(rows)
    missing = [r for r in rows if not r[1]]
    print(org, len(rows), "no code:", [(r[0], r[2]) for r in missing])

# ---- IRENA scraps
irena = []
irena.append(("irena_state_us_2011", "US", "United States", "2011-03-04", "day",
  "March 4, 2011.  The United States today deposited its instrument of acceptance to join the International Renewable Energy Agency (IRENA), becoming the 63rd member."))
q = "The eight countries that have ratified IRENA's treaty since 1 March 2011 are: France, Gambia, Lithuania, Mexico, Spain, Swaziland, Switzerland, and the US."
for n, c in (("France","FR"),("Gambia","GM"),("Lithuania","LT"),("Mexico","MX"),("Spain","ES"),("Swaziland","SZ"),("Switzerland","CH"),("US","US")):
    irena.append(("irena_iisd_2011_03", c, n, "2011-03", "month", q))
q = "the International Renewable Energy Agency (IRENA) has reported that six countries have recently ratified its Statute, namely Brunei Darussalam, the Czech Republic, Djibouti, Malta, Seychelles, and the Republic of the Sudan."
for n, c in (("Brunei Darussalam","BN"),("the Czech Republic","CZ"),("Djibouti","DJ"),("Malta","MT"),("Seychelles","SC"),("the Republic of the Sudan","SD")):
    irena.append(("irena_iisd_2011_06", c, n, "", "", q))
q1 = "IRENA's thirteenth Assembly elected the following countries to serve on the Council in 2023: Antigua and Barbuda, Argentina, Azerbaijan, Canada, China, Egypt, Germany, Ghana, Iraq, Italy, Japan, Nigeria, Panama, Portugal, Republic of Korea, Rwanda, Spain, Tonga, United Arab Emirates, United States of America and Zimbabwe."
for n, c in (("Antigua and Barbuda","AG"),("Argentina","AR"),("Azerbaijan","AZ"),("Canada","CA"),("China","CN"),("Egypt","EG"),("Germany","DE"),("Ghana","GH"),("Iraq","IQ"),("Italy","IT"),("Japan","JP"),("Nigeria","NG"),("Panama","PA"),("Portugal","PT"),("Republic of Korea","KR"),("Rwanda","RW"),("Spain","ES"),("Tonga","TO"),("United Arab Emirates","AE"),("United States of America","US"),("Zimbabwe","ZW")):
    irena.append(("irena_council_2023", c, n, "", "", q1))
q2 = "Bangladesh, Cyprus, Denmark, Greece, Honduras, India, Malaysia, Mauritius, Saint Lucia, Togo, Uganda and Uruguay act as alternates."
for n, c in (("Bangladesh","BD"),("Cyprus","CY"),("Denmark","DK"),("Greece","GR"),("Honduras","HN"),("India","IN"),("Malaysia","MY"),("Mauritius","MU"),("Saint Lucia","LC"),("Togo","TG"),("Uganda","UG"),("Uruguay","UY")):
    irena.append(("irena_council_2023", c, n, "", "", q2))
with open(os.path.join(D, "members_irena.csv"), "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f); w.writerow(hdr)
    for lid, c, n, s, p, qq in irena: w.writerow([lid, c, n, s, p, "member", qq])
print("irena", len(irena))
