"""Turn the research files in seed/reference/ into this project's seed files (seed/*.csv).

Run once per change of the reference material, then review the diff of seed/:
    python seed/tools/build_from_reference.py

The reference files hold facts with a source URL each; this script adds what a registry needs
on top (ids, slugs, kinds, categories, the basis of each US tie) from the curation tables
below, and never fills a gap with a guess: a value no source confirms is written with
verification `unconfirmed`. Ids are derived from stable keys, so re-running it reproduces the
same files byte for byte.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

SEED = Path(__file__).resolve().parent.parent

MEMO_URL = (
    "https://americanfocus.online/withdrawing-the-united-states-from-international-organizations-"
    "conventions-and-treaties-that-are-contrary-to-the-interests-of-the-united-states"
)
MEMO_TITLE = (
    "Withdrawing the United States from International Organizations, Conventions, and Treaties "
    "that Are Contrary to the Interests of the United States"
)
YICAI = "yicai-2026-01-08"


def stable_id(prefix: str, *key: str) -> str:
    digest = hashlib.sha256("\x1f".join((prefix, *key)).encode()).digest()
    return f"{prefix}_{base64.b32encode(digest).decode().lower()[:12]}"


# ---------------------------------------------------------------------------------------------
# Categories: the nine themes of NOTES.md section 6 plus health, humanitarian aid and transport
# (needed by WHO, UNRWA, ICAO/ITU/IMO), grouped under five roots.
CATEGORIES = [
    # slug, parent, name_en, name_zh
    ("environment-energy", None, "Environment and energy", "环境与能源"),
    ("climate-environment", "environment-energy", "Climate and environment", "气候与环境"),
    ("energy", "environment-energy", "Energy", "能源"),
    ("economy-development", None, "Economy and development", "经济与发展"),
    ("trade-commodities", "economy-development", "Trade and commodities", "贸易与大宗商品"),
    ("development", "economy-development", "Regional and economic development", "区域与经济发展"),
    ("transport-communications", "economy-development", "Transport and communications", "交通与通信"),
    ("society-culture", None, "Society and culture", "社会与文化"),
    ("social-gender", "society-culture", "Gender, population and social affairs", "性别、人口与社会事务"),
    ("culture-dialogue", "society-culture", "Culture, heritage and dialogue", "文化、遗产与对话"),
    ("health", "society-culture", "Health", "卫生"),
    ("humanitarian", "society-culture", "Humanitarian aid", "人道主义援助"),
    ("peace-security-law", None, "Peace, security and law", "和平、安全与法治"),
    ("peace-security", "peace-security-law", "Peace and security", "和平与安全"),
    ("democracy-law-rights", "peace-security-law", "Democracy, law and rights", "民主、法治与人权"),
    ("science-training", None, "Science, research and training", "科学、研究与培训"),
]

# ---------------------------------------------------------------------------------------------
# The 66, in memorandum order (the order of organizations_66.csv).
# slug, kind, parent, primary theme, US tie basis (None: no membership recorded), why none.
NO_MEMBER_STATES = "No membership recorded: a UN Secretariat office or inter-agency mechanism has no member states (NOTES.md)."
NEVER_MEMBER = "No membership recorded: the United States was never a member ({}); the memorandum can only end funding or participation."
NO_TIE_IN_SOURCES = "No membership recorded: its members are not states, and the sources establish no US membership; for UN entities the memorandum's withdrawal means ceasing participation or funding."

MEMO_66 = [
    ("24-7-cfe", "forum_partnership", None, "energy", "participant", None),
    ("colombo-plan-council", "intergovernmental_organization", None, "development", "member_state", None),
    ("cec", "intergovernmental_organization", None, "climate-environment", "member_state", None),
    ("ecw", "programme_fund", None, "social-gender", "donor", None),
    ("hybrid-coe", "intergovernmental_organization", None, "peace-security", "participant", None),
    ("fehrl", "forum_partnership", None, "science-training", "participant", None),
    ("foc", "forum_partnership", None, "democracy-law-rights", "participant", None),
    ("gcerf", "programme_fund", None, "peace-security", "participant", None),
    ("gctf", "forum_partnership", None, "peace-security", "participant", None),
    ("gfce", "forum_partnership", None, "peace-security", "participant", None),
    ("gfmd", "forum_partnership", None, "social-gender", "participant", None),
    ("iai", "intergovernmental_organization", None, "climate-environment", "member_state", None),
    ("igf", "forum_partnership", None, "trade-commodities", "member_state", None),
    ("ipcc", "intergovernmental_organization", None, "climate-environment", "member_state", None),
    ("ipbes", "intergovernmental_organization", None, "climate-environment", "member_state", None),
    ("iccrom", "intergovernmental_organization", None, "culture-dialogue", "member_state", None),
    ("icac", "intergovernmental_organization", None, "trade-commodities", "member_state", None),
    ("idlo", "intergovernmental_organization", None, "democracy-law-rights", "member_state", None),
    ("ief", "intergovernmental_organization", None, "energy", "member_state", None),
    ("ifacca", "forum_partnership", None, "culture-dialogue", "participant", None),
    ("international-idea", "intergovernmental_organization", None, "democracy-law-rights", "donor", None),
    ("iij", "intergovernmental_organization", None, "democracy-law-rights", "participant", None),
    ("ilzsg", "intergovernmental_organization", None, "trade-commodities", "member_state", None),
    ("irena", "intergovernmental_organization", None, "energy", "member_state", None),
    ("isa", "intergovernmental_organization", None, "energy", "member_state", None),
    ("itto", "intergovernmental_organization", None, "climate-environment", "member_state", None),
    ("iucn", "intergovernmental_organization", None, "climate-environment", "member_state", None),
    ("paigh", "intergovernmental_organization", None, "science-training", "member_state", None),
    ("pac", "forum_partnership", None, "peace-security", "participant", None),
    ("recaap", "treaty_agreement", None, "peace-security", "member_state", None),
    ("rcc", "forum_partnership", None, "development", "participant", None),
    ("ren21", "forum_partnership", None, "energy", "participant", None),
    ("stcu", "intergovernmental_organization", None, "science-training", "member_state", None),
    ("sprep", "intergovernmental_organization", None, "climate-environment", "member_state", None),
    ("venice-commission", "subsidiary_body", "council-of-europe", "democracy-law-rights", "member_state", None),
    ("un-desa", "department_office", None, "development", None, NO_MEMBER_STATES),
    ("eca", "regional_commission", "ecosoc", "development", None, NEVER_MEMBER.format("membership is limited to African states")),
    ("eclac", "regional_commission", "ecosoc", "development", "member_state", None),
    ("escap", "regional_commission", "ecosoc", "development", "member_state", None),
    ("escwa", "regional_commission", "ecosoc", "development", None, NEVER_MEMBER.format("membership is limited to Arab states")),
    ("ilc", "subsidiary_body", None, "democracy-law-rights", None, NO_TIE_IN_SOURCES),
    ("irmct", "tribunal", None, "democracy-law-rights", None, NO_TIE_IN_SOURCES),
    ("itc", "subsidiary_body", None, "trade-commodities", "participant", None),
    ("osaa", "department_office", None, "development", None, NO_MEMBER_STATES),
    ("osrsg-caac", "department_office", None, "peace-security", None, NO_MEMBER_STATES),
    ("osrsg-svc", "department_office", None, "peace-security", None, NO_MEMBER_STATES),
    ("osrsg-vac", "department_office", None, "social-gender", None, NO_MEMBER_STATES),
    ("pbc", "subsidiary_body", None, "peace-security", "participant", None),
    ("pbf", "programme_fund", None, "peace-security", "donor", None),
    ("pfpad", "subsidiary_body", None, "social-gender", None, NO_TIE_IN_SOURCES),
    ("unaoc", "forum_partnership", None, "culture-dialogue", "participant", None),
    ("un-redd", "programme_fund", None, "climate-environment", None, NO_TIE_IN_SOURCES),
    ("unctad", "subsidiary_body", None, "trade-commodities", "member_state", None),
    ("undef", "programme_fund", None, "democracy-law-rights", "donor", None),
    ("un-energy", "coordination_mechanism", None, "energy", None, NO_MEMBER_STATES),
    ("un-women", "programme_fund", None, "social-gender", "participant", None),
    ("unfccc", "treaty_agreement", None, "climate-environment", "member_state", None),
    ("un-habitat", "programme_fund", None, "social-gender", "member_state", None),
    ("unitar", "research_training_institute", None, "science-training", None, NO_TIE_IN_SOURCES),
    ("un-oceans", "coordination_mechanism", None, "climate-environment", None, NO_MEMBER_STATES),
    ("unfpa", "programme_fund", None, "social-gender", "donor", None),
    ("unroca", "register_instrument", None, "peace-security", "participant", None),
    ("ceb", "coordination_mechanism", None, "science-training", None, NO_MEMBER_STATES),
    ("unssc", "research_training_institute", None, "science-training", None, NO_TIE_IN_SOURCES),
    ("un-water", "coordination_mechanism", None, "climate-environment", None, NO_MEMBER_STATES),
    ("unu", "research_training_institute", None, "science-training", None, NO_TIE_IN_SOURCES),
]

# Organizations beyond the 66: the dated histories, the FY2026 budget list, and two parents.
# slug, system, kind, parent, primary theme, extra themes, en name, acronym, zh name, basis
EXTRA = [
    ("who", "un", "specialized_agency", None, "health", [], "World Health Organization", "WHO", "世界卫生组织", "member_state"),
    ("unesco", "un", "specialized_agency", None, "culture-dialogue", ["science-training"], "United Nations Educational, Scientific and Cultural Organization", "UNESCO", "联合国教育、科学及文化组织", "member_state"),
    ("unhrc", "un", "subsidiary_body", None, "democracy-law-rights", [], "United Nations Human Rights Council", "UNHRC", "联合国人权理事会", "member_state"),
    ("paris-agreement", "un", "treaty_agreement", "unfccc", "climate-environment", [], "Paris Agreement", None, "巴黎协定", "member_state"),
    ("jcpoa", "non_un", "treaty_agreement", None, "peace-security", [], "Joint Comprehensive Plan of Action", "JCPOA", "联合全面行动计划", "participant"),
    ("inf-treaty", "non_un", "treaty_agreement", None, "peace-security", [], "Intermediate-Range Nuclear Forces Treaty", "INF", "中程导弹条约", "member_state"),
    ("tpp", "non_un", "treaty_agreement", None, "trade-commodities", [], "Trans-Pacific Partnership", "TPP", "跨太平洋伙伴关系协定", "participant"),
    ("unrwa", "un", "subsidiary_body", None, "humanitarian", [], "United Nations Relief and Works Agency for Palestine Refugees in the Near East", "UNRWA", "联合国近东巴勒斯坦难民救济和工程处", "donor"),
    ("iaea", "un", "related_organization", None, "energy", ["peace-security"], "International Atomic Energy Agency", "IAEA", "国际原子能机构", "member_state"),
    ("icao", "un", "specialized_agency", None, "transport-communications", [], "International Civil Aviation Organization", "ICAO", "国际民用航空组织", "member_state"),
    ("itu", "un", "specialized_agency", None, "transport-communications", [], "International Telecommunication Union", "ITU", "国际电信联盟", "member_state"),
    ("imo", "un", "specialized_agency", None, "transport-communications", [], "International Maritime Organization", "IMO", "国际海事组织", "member_state"),
    ("nato", "non_un", "intergovernmental_organization", None, "peace-security", [], "North Atlantic Treaty Organization", "NATO", "北大西洋公约组织", "member_state"),
    ("nato-pa", "non_un", "forum_partnership", None, "peace-security", [], "NATO Parliamentary Assembly", "NATO PA", "北约议会大会", "member_state"),
    ("ecosoc", "un", "principal_organ", None, "development", [], "United Nations Economic and Social Council", "ECOSOC", "联合国经济及社会理事会", None),
    ("council-of-europe", "non_un", "intergovernmental_organization", None, "democracy-law-rights", [], "Council of Europe", "CoE", "欧洲委员会", None),
    ("gcf", "non_un", "programme_fund", None, "climate-environment", [], "Green Climate Fund", "GCF", "绿色气候基金", "donor"),
]
FY2026 = {  # NOTES.md section 7: founded, hq, website (general knowledge), how far sources back the funding claim
    "iaea": ("1957", "Vienna, Austria", "https://www.iaea.org", "partial", "Partly confirmed: the April 2025 OMB passback memo (Washington Post, relayed by censor.net, news.by and nato.news-pravda) kept contributions to a few bodies 'including the IAEA and ICAO'."),
    "icao": ("1947", "Montreal, Canada", "https://www.icao.int", "partial", "Partly confirmed: the April 2025 OMB passback memo kept contributions to a few bodies 'including the IAEA and ICAO'. Convention signed 1944; organization established 1947."),
    "itu": ("1865", "Geneva, Switzerland", "https://www.itu.int", "unconfirmed", "Not confirmed: no copy of the FY2026 Congressional Budget Justification was found."),
    "imo": ("1958", "London, United Kingdom", "https://www.imo.org", "unconfirmed", "Not confirmed: no copy of the FY2026 Congressional Budget Justification was found. Convention 1948; organization established 1958."),
    "nato": ("1949", "Brussels, Belgium", "https://www.nato.int", "disputed", "Not confirmed, and contradicted at draft stage: the April 2025 OMB passback memo proposed ending funding for the UN, NATO and about 20 other organizations."),
    "nato-pa": ("1955", "Brussels, Belgium", "https://www.nato-pa.int", "unconfirmed", "Not confirmed: no copy of the FY2026 Congressional Budget Justification was found."),
}
FY2026_NOTE = (
    "Reported by Chinese news (2026-01-08) as still funded in the US FY2026 budget request; "
    "the request and the enacted appropriations differ. US membership is recorded from an "
    "unknown date (not in the reference sources). "
)

EVENT_ORG = {  # us_membership_events.csv org_acronym -> slug
    "WHO": "who", "UNESCO": "unesco", "UNHRC": "unhrc", "Paris Agreement": "paris-agreement",
    "JCPOA": "jcpoa", "INF": "inf-treaty", "TPP": "tpp", "UNRWA": "unrwa", "UNFCCC": "unfccc",
}
EVENT_TYPE = {  # the reference's wording -> the registry's vocabulary
    "entry_into_force": "entered_into_force",
    "intent_notified": "withdrawal_intent_notified",
    "reengaged_observer": "became_observer",
    "funding_prohibited_by_law": "funding_prohibited",
    "elected": "elected",
}
FOUNDED_FROM_EVENTS = {  # treaties: "founded" is the date the text was concluded or signed
    "jcpoa": ("2015-07-14", "day", "Concluded in Vienna between Iran and the P5+1."),
    "inf-treaty": ("1987", "year", "Signed in 1987 by Reagan and Gorbachev."),
    "tpp": ("2016-02-04", "day", "Signed 4 February 2016; never entered into force for the US."),
}

# US joining facts from organizations_66_checks.csv (us_joined), read into events:
# slug -> (event type, date or '', precision, verification)
JOINED = {
    "colombo-plan-council": ("joined", "1951", "year", "confirmed"),
    "cec": ("joined", "1994-01-01", "day", "confirmed"),
    "ecw": ("joined", "2016", "year", "confirmed"),
    "hybrid-coe": ("joined", "2017-04-11", "day", "confirmed"),
    "fehrl": ("became_associate", "", "unknown", "unconfirmed"),
    "foc": ("joined", "2011-12", "month", "confirmed"),
    "gcerf": ("joined", "2014", "year", "confirmed"),
    "gctf": ("joined", "2011", "year", "confirmed"),
    "icac": ("joined", "1939", "year", "confirmed"),
    "idlo": ("joined", "1988", "year", "unconfirmed"),
    "iij": ("joined", "2014", "year", "confirmed"),
    "itto": ("joined", "", "unknown", "unconfirmed"),
    "pac": ("joined", "2023-09-18", "day", "confirmed"),
    "recaap": ("joined", "", "unknown", "unconfirmed"),
    "rcc": ("joined", "2007-10", "month", "confirmed"),
    "stcu": ("joined", "1993-10-25", "day", "confirmed"),
    "sprep": ("signed", "1993", "year", "partial"),
    "eclac": ("joined", "1948", "year", "confirmed"),
    "escap": ("joined", "1947", "year", "unconfirmed"),
    "pbc": ("joined", "2005-12", "month", "confirmed"),
    "undef": ("joined", "2005", "year", "confirmed"),
}
VENICE_OBSERVER = ("became_observer", "1991", "year", "confirmed")
VENICE_MEMBER = ("joined", "2013-04-15", "day", "confirmed")

# Statements about the withdrawal itself, from NOTES.md, added to the 2026-01-07 event.
WITHDRAWAL_REMARKS = {
    "sprep": ("SPREP said the US 'must follow a formal process' to leave.", "https://www.bairdmaritime.com/work-boat-world/research-environment-training/pacific-islands-environment-programme-says-us-must-follow-formal-exit-process"),
    "rcc": ("The RCC Secretary General said on 2026-01-09 that the RCC learned from the media that the US had left its Board and awaited formal notice.", "https://www.krstarica.com/vesti/savet-za-regionalnu-saradnju-ceka-zvanicno-obavestenje-sad-da-su-se-povukle-iz-upravnog-odbora/"),
    "ipbes": ("IPBES said on 2026-01-08 that it had not been formally notified.", "https://www.environewsnigeria.com/u-s-withdrawal-ipbes-regrets-deeply-disappointing-news-ipcc-says-body-is-voluntary-open-to-all"),
}

# Chinese names: how the reference's zh column splits into official and other names, and the
# other renderings the checks report (each becomes an alias citing the check's source).
ZH_OFFICIAL = {
    "cec": "环境合作委员会",
    "ecw": "教育不能等待",
    "iucn": "世界自然保护联盟",
    "venice-commission": "欧洲委员会威尼斯委员会",
    "un-women": "联合国促进性别平等和增强妇女权能署",
    "unfccc": "联合国气候变化框架公约",
    "un-habitat": "联合国人类住区规划署",
}
ZH_OTHER = {  # slug -> [(lang, type, value)]
    "cec": [("zh-Hans", "alias", "（北美）环境合作委员会"), ("zh-Hant", "alias", "環境合作委員會")],
    "ecw": [("zh-Hans", "alias", "教育刻不容缓"), ("zh-Hant", "alias", "教育刻不容緩")],
    "iucn": [("zh-Hans", "alias", "国际自然保护联盟")],
    "venice-commission": [("zh-Hans", "alias", "通过法律实现民主欧洲委员会"), ("zh-Hans", "short", "威尼斯委员会")],
    "un-women": [("zh-Hans", "short", "联合国妇女署"), ("zh-Hans", "alias", "联合国促进两性平等和妇女赋权实体")],
    "un-habitat": [("zh-Hans", "short", "联合国人居署")],
    "24-7-cfe": [("zh-Hans", "alias", "全天候无碳能源契约"), ("zh-Hant", "alias", "全天候無碳聯盟"), ("zh-Hant", "alias", "全時無碳能源倡議")],
    "foc": [("zh-Hans", "alias", "在线自由联盟")],
    "gcerf": [("zh-Hans", "alias", "全球社区参与和韧性基金")],
    "gfce": [("zh-Hans", "alias", "全球网络专家论坛")],
    "igf": [("zh-Hans", "alias", "政府间矿业、矿产、金属和可持续发展论坛")],
    "iccrom": [("zh-Hans", "alias", "国际文化财产保护与修复研究中心")],
    "osrsg-caac": [("zh-Hans", "alias", "负责儿童与武装冲突问题的秘书长特别代表办公室")],
    "irmct": [("zh-Hant", "alias", "國際刑事法庭餘留機制")],
    "icac": [("zh-Hant", "alias", "國際棉花諮詢委員會")],
    "paigh": [("zh-Hant", "alias", "泛美地理與歷史研究所")],
    "un-water": [("zh-Hant", "alias", "聯合國水機制")],
    "colombo-plan-council": [("zh-Hant", "alias", "科倫坡計劃理事會")],
    "pfpad": [("zh-Hans", "alias", "非洲人后裔问题永久论坛")],
    "unaoc": [("zh-Hans", "alias", "联合国文明联盟")],
    "nato": [("zh-Hans", "short", "北约")],
}
ZH_OTHER_NOTE = {
    "pfpad": "Used by Chinese news (NOTES.md section 5); the official UN form is 常设论坛.",
    "unaoc": "Used by Chinese news (NOTES.md section 5); the official UN form is 不同文明联盟.",
}
# English: the memorandum's wording stays as an alias where the official name differs.
EN_OFFICIAL = {
    "venice-commission": "European Commission for Democracy through Law",
    "eca": "Economic Commission for Africa",
    "eclac": "Economic Commission for Latin America and the Caribbean",
    "escap": "Economic and Social Commission for Asia and the Pacific",
    "escwa": "Economic and Social Commission for Western Asia",
    "un-energy": "UN-Energy",
    "un-oceans": "UN-Oceans",
    "un-water": "UN-Water",
}
EN_SHORT = {"venice-commission": "Venice Commission", "un-women": "UN Women", "un-habitat": "UN-Habitat"}
ACRONYM_SPLIT = {  # reference acronym -> [(lang, value)]
    "PAIGH (IPGH)": [("en", "PAIGH"), ("es", "IPGH")],
    "ECA (UNECA)": [("en", "ECA"), ("en", "UNECA")],
    "International IDEA": [("en", "International IDEA"), ("en", "IDEA")],
    "Venice Commission": [],
    "UN Women": [],
    "UN-Habitat": [],
}
SECONDARY_FROM_REFERENCE = {"climate_environment": "climate-environment"}

# ---------------------------------------------------------------------------------------------
# Sources: what kind of document each host publishes, and what NOTES.md says of some of them.
OFFICIAL_HOSTS = {
    "www.govinfo.gov", "regulations.justia.com", "history.state.gov", "www.state.gov", "m.state.gov",
    "ir.usembassy.gov", "www.congress.gov", "www.presidency.ucsb.edu", "valtioneuvosto.fi", "ec.gc.ca",
    "www.mofa.go.jp", "www.mfa.gov.lv", "mfa.gov.md", "coe.mfa.gov.ua", "www.esteri.it",
    "rapponuroma.esteri.it", "foreignandeu.gov.mt", "www.bmz.de", "150.diplo.de",
    "un.china-mission.gov.cn", "legal.un.org", "research.un.org", "disarmament.unoda.org",
    "sustainabledevelopment.un.org", "americanfocus.online", "bibliotecapleyades.net", "menafn.com",
}
ORGANIZATION_HOSTS = {
    "un.org", "www.un.org", "news.un.org", "childrenandarmedconflict.un.org", "unoceans.un.org",
    "unfccc.int", "unis.unvienna.org", "unsceb.org", "unu.edu", "www.unitar.org",
    "staging-legacy.unescap.org", "staging.unhabitat.org", "staging.icac.org",
    "srsg.violenceagainstchildren.org", "www.irmct.org", "osx.stcu.int", "www.stcu.int",
    "fehrl.org", "www.fehrl.org", "www.hybridcoe.fi", "www.iccrom.org", "iai.int", "ifacca.org",
    "igfmining.org", "www.igfmining.org", "ilzsg.org", "isolaralliance.org",
    "www.educationcannotwait.org", "www.freedomonlinecoalition.com", "www.gcerf.org",
    "www.gfmd.org", "www.idlo.int", "www.ief.org", "www.ipbes.net", "www.ipgh.org",
    "www.irena.org", "www.ren21.net", "www.sprep.org", "www.thegfce.com", "www.unsystem.org",
    "www.unjobnet.org", "www.tradeforum.org", "www.unicefusa.org", "kyodonewsprwire.jp",
    "hk.prnasia.com", "www.competitiveelections.org", "artistsatriskconnection.org",
    "thailandembassy.orderofmalta.int", "www.data4sdgs.org", "quno.org", "wilpf.org",
    "www.cpfweb.org", "gccs2015.com",
}
REFERENCE_HOSTS = {
    "en.wikipedia.org", "zh.wikipedia.org", "ja.m.wikipedia.org.", "en.wikipedia-on-ipfs.org",
    "simple.m.wiki.x.io", "www.wikiwand.com", "wikimili.com", "everything.explained.today",
    "detailedpedia.com", "handwiki.org", "theinfolist.com", "encyclopedia.datana.cloud",
    "www.encyclopedia.com", "www.nationsencyclopedia.com", "da.xcv.wiki", "wiki-gateway.eudic.net",
    "the-uncensored-wiki.com", "a.osmarks.net", "arc.ask3.ru", "www.sourcewatch.org",
    "www.worldatlas.com", "crwflags.net", "informasilengkap.com", "ipfs.io",
    "gateway.ipfs.cybernode.ai", "bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evfyavhwq.ipfs.dweb.link",
    "docslib.org", "docsbay.net", "books.google.ro", "core-cms.prod.aop.cambridge.org",
    "discovery.researcher.life", "jus.uio.no", "hrlibrary.umn.edu", "www.law.virginia.edu",
    "climate.law.columbia.edu", "cil.nus.edu.sg", "www.asser.nl", "www.idos-research.de",
    "archive.crin.org", "web.archive.org", "missilethreat.csis.org", "asil.org",
    "news.ballotpedia.org", "bitlit.ru", "wdcosf.fh-potsdam.de", "cepei.org", "sdg.iisd.org",
    "climate-l.iisd.org", "cryer.org.uk", "atlashistoricodeamerica.online", "archiv.osn.cz",
}
NEWS_HOSTS = {
    "www.aljazeera.com", "jang.com.pk", "www.straitstimes.com", "www.ft.lk", "www.ndtv.com",
    "www.npr.org", "cbsnews.com", "www.upi.com", "www.smithsonianmag.com", "www.efe.com", "news.az",
    "www.telesurenglish.net", "www.shine.cn", "kyivindependent.com", "babel.ua", "www.rbc.ua",
    "www.meritalk.com", "www.newkerala.com", "indiarenews.in", "solartex.co",
    "www.bairdmaritime.com", "hansa.news", "www.environewsnigeria.com", "www.chinaview.cn",
    "www.krstarica.com", "tw.news.yahoo.com", "www.ntdtv.com", "www.ettoday.net",
    "timesofmalta.com", "www.wam.ae", "www.lbcgroup.tv", "breakingthenews.net", "vestnikkavkaza.net",
    "www.pakistanpoint.com", "cumhuriyetdaily.com", "voz.us", "www.jewishledger.com", "dnyuz.com",
    "indianeconomicobserver.com", "archive.kyivpost.com", "en.chinagate.cn", "business.sohu.com",
    "news.dahe.cn", "www.topix.com", "www.ramanmedianetwork.com", "www.backstage.com",
    "australianwomenonline.com", "lifenewsagency.com", "kenyanwallstreet.com",
    "www.southernnation.org", "production.tan-mgmt.co.uk", "www.insdip.com", "amcham.org.pe",
    "m.lianhezuozhan.com", "re-invest.in", "www.ncexc.cn", "futern.com",
}
PUBLISHERS = {
    "www.aljazeera.com": "Al Jazeera", "jang.com.pk": "Geo News / Jang", "www.straitstimes.com": "The Straits Times",
    "www.ft.lk": "Daily FT", "www.govinfo.gov": "US Government Publishing Office (Federal Register)",
    "regulations.justia.com": "Justia (Federal Register text)", "history.state.gov": "US Department of State, Office of the Historian",
    "www.state.gov": "US Department of State", "m.state.gov": "US Department of State",
    "ir.usembassy.gov": "US Embassy (Department of State)", "www.congress.gov": "US Congress",
    "news.un.org": "UN News", "www.chinaview.cn": "Xinhua", "www.krstarica.com": "Krstarica (Beta news agency)",
    "cpajim.blogspot.com": "cpajim (blog)", "en.wikipedia.org": "Wikipedia", "www.npr.org": "NPR",
    "www.ndtv.com": "NDTV", "kyivindependent.com": "The Kyiv Independent", "www.upi.com": "UPI",
    "www.smithsonianmag.com": "Smithsonian Magazine", "www.wam.ae": "WAM (Emirates News Agency)",
    "amcham.org.pe": "AmCham Peru", "menafn.com": "MENAFN (republishing the US Department of State)",
    "americanfocus.online": "American Focus (republishing the presidential memorandum)",
    "bibliotecapleyades.net": "Biblioteca Pleyades (republishing the presidential memorandum)",
    "peoplesworldwar.com": "People's World War (reproducing the White House fact sheet)",
    "sharing.org": "Share The World's Resources (republishing UN News)",
}
KNOWN_SOURCES = {  # url -> (title, published, precision, confidence note)
    MEMO_URL: (MEMO_TITLE, "2026-01-07", "day", "Republication of the memorandum of 2026-01-07; only list items (i)-(vii) were visible in the copy seen."),
    "https://bibliotecapleyades.net/sociopolitica3/trump259.htm": (MEMO_TITLE, "2026-01-07", "day", "Republication of the memorandum; Sec. 1 and the start of Sec. 2 visible."),
    "https://menafn.com/1110570590/Withdrawal-From-Wasteful-Ineffective-Or-Harmful-International-Organizations": ("Withdrawal from Wasteful, Ineffective, or Harmful International Organizations", None, None, "State Department statement by Secretary Rubio, as republished."),
    "https://peoplesworldwar.com/us-to-withdraw-from-66-international-organizations": (None, None, None, "Reproduces the White House fact sheet (35 non-UN + 31 UN)."),
    "https://www.aljazeera.com/news/2026/1/8/which-are-the-66-global-organisations-the-us-is-leaving-under-trump?traffic_source=rss": ("Which are the 66 global organisations the US is leaving under Trump?", "2026-01-08", "day", "Full numbered list 'according to the White House'; copies seen show UN items 1-26 and the start of 27."),
    "https://jang.com.pk/en/56803-us-withdraws-from-wasteful-international-entities-including-climate-treaty-news": (None, None, None, "Cites Reuters and the White House; its numbered non-UN list is visible for items 1-16."),
    "https://cpajim.blogspot.com/2026/01/66.html": (None, "2026-01", "month", "Blog; full Chinese translation of the State Department list in the memorandum's order; non-UN items 1-33 visible, 34 truncated."),
    "https://sharing.org/information-centre/news/what-the-us-withdrawal-from-un-bodies-could-mean-for-climate-trade-and-development": ("What the US withdrawal from UN bodies could mean for climate, trade and development", None, None, "Republication of the UN News breakdown of the 31 UN entities."),
    "https://tasty-yummy.newdizi.lol/2026/01/20/the-66-global-organizations-the-u-s-left-under-trump/2": (None, "2026-01-20", "day", "Low-quality aggregator of a Washington Post list; used only as extra support (NOTES.md section 9)."),
    "https://binance.weixuanerp.com/de/square/post/35405789621074": (None, None, None, "Weak: the only source for the 2025-01-22 WHO notification date (NOTES.md section 9)."),
    "http://insolvencnispravce.biz/de/is-the-us-a-member-of-the-paris-agreement": (None, None, None, "Weak source (reference data)."),
    "https://www.govinfo.gov/content/pkg/FR-2025-02-10/html/2025-02504.htm": ("Executive Order 14199 of February 4, 2025 (Federal Register document 2025-02504)", "2025-02-10", "day", None),
    "https://regulations.justia.com/regulations/fedreg/2025/01/29/2025-01957.html": ("Executive Order 14155: Withdrawing the United States From the World Health Organization (Federal Register document 2025-01957)", "2025-01-29", "day", None),
    "http://www.chinaview.cn/20260111/64de2b4947b7405a9d1ccb186a488f4a/c.html": (None, "2026-01-11", "day", "Names 'the Regional Cooperation Council (RCC)' among the affected organizations."),
    "https://www.krstarica.com/vesti/savet-za-regionalnu-saradnju-ceka-zvanicno-obavestenje-sad-da-su-se-povukle-iz-upravnog-odbora/": (None, "2026-01-09", "day", "Reports the RCC Secretary General's statement (Beta)."),
    "https://amcham.org.pe/news/?p=10412": (None, None, None, "Reports the US Treasury's 2026-01-08 announcement that the US leaves the Green Climate Fund."),
    "https://www.straitstimes.com/world/europe/us-quits-global-organisation-dedicated-to-preventing-violent-extremism": (None, "2026-01-09", "day", "Reuters report."),
    "https://www.ft.lk/front-page/Trump-pulls-US-out-of-Colombo-Plan-outgoing-Envoy-Julie-Chung-current-Council-President/44-786758": (None, "2026-01-10", "day", None),
}
NEWS_2026_01 = [  # seed/reference/news_2026-01.md (no URLs recorded there)
    ("yicai-2026-01-08", "美国一口气再\"退群\"66个:都有哪些?", "第一财经 (Yicai)", "2026-01-08", "day"),
    ("netease-2026-01-17", "特朗普一口气退66个群,联合国也被要求搬迁,中方说了心里话", "网易号 (NetEase Hao, user 阿七说史)", "2026-01", "month"),
    ("cctv-report-2026-01", "特朗普总统要求退出66个国际组织", "Report citing 央视新闻 (CCTV News)", "2026-01", "month"),
]


@dataclass
class Seed:
    sources: dict[str, dict[str, str]] = field(default_factory=dict)
    organizations: list[dict[str, str]] = field(default_factory=list)
    names: list[dict[str, str]] = field(default_factory=list)
    claims: list[dict[str, str]] = field(default_factory=list)
    listings: list[dict[str, str]] = field(default_factory=list)
    memberships: list[dict[str, str]] = field(default_factory=list)
    events: list[dict[str, str]] = field(default_factory=list)

    def source(self, url: str) -> str:
        url = url.strip()
        key = stable_id("src", url)
        if key not in self.sources:
            host = urlparse(url).hostname or ""
            title, published, precision, note = KNOWN_SOURCES.get(url, (None, None, None, None))
            if published is None:
                published, precision = _date_in_url(url)
            self.sources[key] = {
                "id": key,
                "url": url,
                "title": title or "",
                "publisher": PUBLISHERS.get(host, host.removeprefix("www.")),
                "published_on": published or "",
                "published_precision": precision or "unknown",
                "kind": _kind_of(host),
                "confidence_note": note or "",
            }
        return key

    def news_source(self, key: str) -> str:
        for news_id, title, publisher, published, precision in NEWS_2026_01:
            if news_id == key:
                sid = stable_id("src", news_id)
                self.sources[sid] = {
                    "id": sid, "url": "", "title": title, "publisher": publisher,
                    "published_on": published, "published_precision": precision, "kind": "news",
                    "confidence_note": "Chinese-language news; summarized in seed/reference/news_2026-01.md (no URL recorded).",
                }
                return sid
        raise KeyError(key)


def _kind_of(host: str) -> str:
    for kind, hosts in (
        ("official_text", OFFICIAL_HOSTS),
        ("organization_statement", ORGANIZATION_HOSTS),
        ("reference_work", REFERENCE_HOSTS),
        ("news", NEWS_HOSTS),
    ):
        if host in hosts:
            return kind
    return "other"


def _date_in_url(url: str) -> tuple[str | None, str | None]:
    """A publication date written in the URL path (/2026/01/08/), the only date some sources show."""
    match = re.search(r"/(20\d\d|19\d\d)/(\d{1,2})/(\d{1,2})/", url)
    if match:
        y, m, d = (int(g) for g in match.groups())
        if 1 <= m <= 12 and 1 <= d <= 31:
            return f"{y:04d}-{m:02d}-{d:02d}", "day"
    match = re.search(r"/(20\d\d)/(\d{2})/", url)
    if match and 1 <= int(match.group(2)) <= 12:
        return f"{match.group(1)}-{match.group(2)}", "month"
    return None, None


def _verification(check_status: str) -> str:
    return {"confirmed": "confirmed", "corrected": "confirmed", "conflict": "disputed"}.get(
        check_status, "unconfirmed"
    )


def _event_verification(confirmed_by_source: str) -> str:
    return {"yes": "confirmed", "partial": "partial"}.get(confirmed_by_source, "unconfirmed")


def _iso_date(value: str, precision: str) -> str:
    """Complete a partial date to its first day: `1984` -> `1984-01-01` (precision kept aside)."""
    if not value:
        return ""
    parts = value.split("-")
    while len(parts) < 3:
        parts.append("01")
    assert precision in {"day", "month", "year"}, precision
    return "-".join(parts)


def _founded(value: str) -> tuple[str, str]:
    match = re.fullmatch(r"\d{4}", value.strip())
    return (f"{value.strip()}-01-01", "year") if match else ("", "unknown")


def build(reference: Path) -> Seed:
    seed = Seed()
    memo = seed.source(MEMO_URL)
    rows = list(csv.DictReader((reference / "organizations_66.csv").open(encoding="utf-8")))
    checks: dict[tuple[str, str], dict[str, str]] = {}
    for check in csv.DictReader((reference / "organizations_66_checks.csv").open(encoding="utf-8")):
        checks[(check["name_en"], check["field"])] = check
    assert len(rows) == len(MEMO_66) == 66, len(rows)
    non_un_position = un_position = 0

    for row, (slug, kind, parent, theme, basis, no_tie) in zip(rows, MEMO_66, strict=True):
        org_id = stable_id("org", slug)
        system = "un" if row["system"] == "UN" else "non_un"
        founded_on, founded_precision = _founded(row["founded"])
        hq = row["hq"].strip()
        categories = [theme]
        extra = SECONDARY_FROM_REFERENCE.get(row["category"])
        if extra and extra != theme:
            categories.append(extra)
        seed.organizations.append({
            "id": org_id, "slug": slug, "system": system, "kind": kind, "parent": parent or "",
            "founded_on": founded_on, "founded_precision": founded_precision,
            "headquarters": "" if hq.startswith("n/a") else hq,
            "website": row["website"].strip(), "categories": ";".join(categories),
        })
        listing_source = seed.source(row["source_url"])

        # Names. The memorandum's wording is attested by the listing source.
        memo_wording = row["name_en"].strip()
        official_en = EN_OFFICIAL.get(slug)
        if official_en is None and memo_wording.startswith("UN "):
            official_en = "United Nations " + memo_wording[3:]
        official_en = official_en or memo_wording
        if slug == "venice-commission":
            memo_wording = "Venice Commission of the Council of Europe"
        _name(seed, slug, "en", "official", official_en, True,
              "confirmed" if official_en == memo_wording else "unconfirmed", [listing_source] if official_en == memo_wording else [],
              None if official_en == memo_wording else "Full form of the memorandum's wording.")
        if official_en != memo_wording:
            _name(seed, slug, "en", "alias", memo_wording, False, "confirmed", [listing_source], "Wording of the memorandum's list.")
        if slug in EN_SHORT:
            _name(seed, slug, "en", "short", EN_SHORT[slug], True, "confirmed", [listing_source], None)
        for i, (lang, acronym) in enumerate(ACRONYM_SPLIT.get(row["acronym"], [("en", row["acronym"])])):
            if acronym:
                _name(seed, slug, lang, "acronym", acronym, i == 0 or lang != "en", "confirmed", [listing_source], None)
        rcc_check = checks.get((row["name_en"], "name_en"))
        if rcc_check:
            _name_source(seed, slug, "en", "official", official_en, seed.source(rcc_check["source_url"]), rcc_check["note"])

        zh_check = checks[(row["name_en"], "name_zh")]
        zh = ZH_OFFICIAL.get(slug, row["name_zh"].strip())
        zh_sources = [seed.source(zh_check["source_url"])] if zh_check["source_url"] else []
        _name(seed, slug, "zh-Hans", "official", zh, True, _verification(zh_check["status"]), zh_sources,
              f"{zh_check['verified_value']}. {zh_check['note']}".strip(" ."))
        for lang, typ, value in ZH_OTHER.get(slug, []):
            _name(seed, slug, lang, typ, value, typ == "short", "confirmed" if zh_sources else "unconfirmed",
                  zh_sources, ZH_OTHER_NOTE.get(slug, "Another rendering reported by the sources of the name check."))

        # Claims: founded, headquarters, website, each with its check.
        for claim_field, csv_field in (("founded", "founded"), ("headquarters", "hq"), ("website", "website")):
            check = checks[(row["name_en"], csv_field)]
            note = f"{check['verified_value']}. {check['note']}".strip(" .")
            if csv_field == "hq" and hq.startswith("n/a"):
                note = f"{hq}. {note}"
            seed.claims.append({
                "organization": slug, "field": claim_field, "verification": _verification(check["status"]),
                "sources": seed.source(check["source_url"]) if check["source_url"] else "", "note": note,
            })

        # The listing in the memorandum.
        if system == "non_un":
            non_un_position += 1
            section, position, note = "2(a)", non_un_position, "Non-United Nations organizations."
        else:
            un_position += 1
            section, position, note = "2(b)", un_position, "United Nations entities."
            if position >= 27:
                note += " The order of items 27-31 is inferred (NOTES.md section 3)."
        if no_tie:
            note += " " + no_tie
        seed.listings.append({
            "id": stable_id("lst", memo, section, str(position)), "organization": slug, "source": memo,
            "section": section, "position": str(position), "sources": listing_source, "note": note,
        })

        # The US relation.
        if basis is None or slug == "unfccc":
            continue  # UNFCCC's history comes from us_membership_events.csv below
        joined_check = checks.get((row["name_en"], "us_joined"))
        membership = _membership(seed, slug, basis, "confirmed" if joined_check and joined_check["status"] == "confirmed" else "unconfirmed",
                                 _basis_note(joined_check))
        if slug == "venice-commission":
            assert joined_check is not None
            for typ, date, precision, verification in (VENICE_OBSERVER, VENICE_MEMBER):
                _event(seed, membership, typ, date, precision, verification, [seed.source(joined_check["source_url"])],
                       f"{joined_check['verified_value']}. {joined_check['note']}")
        elif slug in JOINED:
            assert joined_check is not None
            typ, date, precision, verification = JOINED[slug]
            _event(seed, membership, typ, date, precision, verification, [seed.source(joined_check["source_url"])],
                   f"{joined_check['verified_value']}. {joined_check['note']}")
        _event(seed, membership, "withdrawal_announced", "2026-01-07", "day", "confirmed",
               [memo, listing_source, *([seed.source(WITHDRAWAL_REMARKS[slug][1])] if slug in WITHDRAWAL_REMARKS else [])],
               _withdrawal_note(system, slug))

    for slug, system, kind, parent, theme, extra_themes, name_en, acronym, name_zh, basis in EXTRA:
        _extra_organization(seed, reference, slug, system, kind, parent, theme, extra_themes, name_en, acronym, name_zh, basis)
    _event_history(seed, reference, memo)
    return seed


def _basis_note(check: dict[str, str] | None) -> str:
    base = "The kind of tie (basis) is taken from the organization's membership rules; "
    if check and check["status"] == "confirmed":
        return base + "the joining record below confirms it."
    return base + "no reference source states it, so the basis is unconfirmed."


def _withdrawal_note(system: str, slug: str) -> str:
    if system == "un":
        note = ("Listed among the UN entities (Sec. 2(b)) of the presidential memorandum of 2026-01-07. "
                "For UN entities the memorandum defines withdrawal as ceasing participation in or funding "
                "to those entities to the extent permitted by law. No effective date is given.")
    else:
        note = ("Listed among the non-UN organizations (Sec. 2(a)) of the presidential memorandum of "
                "2026-01-07. The withdrawal takes effect under the organization's own rules; no "
                "effective date is recorded.")
    if slug in WITHDRAWAL_REMARKS:
        note += " " + WITHDRAWAL_REMARKS[slug][0]
    return note


def _name(seed: Seed, slug: str, lang: str, typ: str, value: str, preferred: bool,
          verification: str, sources: Iterable[str], note: str | None) -> None:
    seed.names.append({
        "id": stable_id("nam", slug, lang, typ, value), "organization": slug, "lang": lang, "type": typ,
        "value": value, "preferred": "true" if preferred else "false", "verification": verification,
        "sources": ";".join(dict.fromkeys(sources)), "note": note or "",
    })


def _name_source(seed: Seed, slug: str, lang: str, typ: str, value: str, source: str, note: str) -> None:
    for name in seed.names:
        if (name["organization"], name["lang"], name["type"], name["value"]) == (slug, lang, typ, value):
            name["sources"] = ";".join(dict.fromkeys([*filter(None, name["sources"].split(";")), source]))
            name["note"] = note
            return
    raise KeyError(slug)


def _membership(seed: Seed, slug: str, basis: str, verification: str, note: str) -> str:
    membership_id = stable_id("mem", "US", slug)
    seed.memberships.append({
        "id": membership_id, "country": "US", "organization": slug, "basis": basis,
        "basis_verification": verification, "note": note,
    })
    return membership_id


def _event(seed: Seed, membership: str, typ: str, date: str, precision: str, verification: str,
           sources: Iterable[str], note: str) -> None:
    sequence = sum(1 for e in seed.events if e["membership"] == membership)
    seed.events.append({
        "id": stable_id("evt", membership, typ, date, str(sequence)), "membership": membership, "type": typ,
        "date": _iso_date(date, precision), "date_precision": precision, "verification": verification,
        "sources": ";".join(dict.fromkeys(s for s in sources if s)), "note": note.strip(),
    })


def _extra_organization(seed: Seed, reference: Path, slug: str, system: str, kind: str, parent: str | None,
                        theme: str, extra_themes: list[str], name_en: str, acronym: str | None,
                        name_zh: str, basis: str | None) -> None:
    founded_on, precision, founded_note = "", "unknown", ""
    name_sources: list[str] = []
    zh_sources: list[str] = []
    hq = website = ""
    if slug in FY2026:
        founded, hq, website, _, _ = FY2026[slug]
        founded_on, precision = _founded(founded)
        founded_note = "From NOTES.md section 7 (general knowledge, not checked against a source)."
        name_sources = zh_sources = [seed.news_source(YICAI)]
    if slug in FOUNDED_FROM_EVENTS:
        date, precision, founded_note = FOUNDED_FROM_EVENTS[slug]
        founded_on = _iso_date(date, precision)
    seed.organizations.append({
        "id": stable_id("org", slug), "slug": slug, "system": system, "kind": kind, "parent": parent or "",
        "founded_on": founded_on, "founded_precision": precision, "headquarters": hq, "website": website,
        "categories": ";".join([theme, *extra_themes]),
    })
    for event in csv.DictReader((reference / "us_membership_events.csv").open(encoding="utf-8")):
        if EVENT_ORG.get(event["org_acronym"]) == slug and event["source_url"]:
            name_sources = [seed.source(event["source_url"])]
            break
    if slug == "gcf":
        name_sources = [seed.source("https://amcham.org.pe/news/?p=10412")]
    if slug in ("ecosoc", "council-of-europe"):
        name_sources = []
    _name(seed, slug, "en", "official", name_en, True, "confirmed" if name_sources else "unconfirmed", name_sources, None)
    if acronym:
        _name(seed, slug, "en", "acronym", acronym, True, "confirmed" if name_sources else "unconfirmed", name_sources, None)
    _name(seed, slug, "zh-Hans", "official", name_zh, True, "confirmed" if zh_sources else "unconfirmed", zh_sources,
          None if zh_sources else "Standard Chinese name; not checked against a source.")
    for lang, typ, value in ZH_OTHER.get(slug, []):
        _name(seed, slug, lang, typ, value, typ == "short", "confirmed" if zh_sources else "unconfirmed", zh_sources, None)
    if founded_on:
        seed.claims.append({"organization": slug, "field": "founded",
                            "verification": "confirmed" if slug in FOUNDED_FROM_EVENTS else "unconfirmed",
                            "sources": ";".join(name_sources) if slug in FOUNDED_FROM_EVENTS else "", "note": founded_note})
    for claim_field, value in (("headquarters", hq), ("website", website)):
        if value:
            seed.claims.append({"organization": slug, "field": claim_field, "verification": "unconfirmed", "sources": "",
                                "note": "From NOTES.md section 7 (general knowledge, not checked against a source)."})
    if basis is None:
        return
    if slug in FY2026:
        _, _, _, verification, note = FY2026[slug]
        membership = _membership(seed, slug, basis, "unconfirmed", FY2026_NOTE + note)
        _event(seed, membership, "joined", "", "unknown", verification, [seed.news_source(YICAI)],
               "US membership at an unknown date; the source reports the FY2026 budget request still funds it. " + note)
    elif slug == "gcf":
        membership = _membership(seed, slug, basis, "unconfirmed",
                                 "Not among the 66: the US Treasury announced on 2026-01-08 that the US also leaves the Green Climate Fund. " + _basis_note(None))
        _event(seed, membership, "withdrawal_announced", "2026-01-08", "day", "confirmed",
               [seed.source("https://amcham.org.pe/news/?p=10412")],
               "US Treasury announced that the United States leaves the Green Climate Fund (reported by AmCham Peru).")


def _event_history(seed: Seed, reference: Path, memo: str) -> None:
    """The dated US histories of us_membership_events.csv; the umbrella acts become sources."""
    bases = {slug: basis for slug, *_, basis in EXTRA}
    bases["unfccc"] = "member_state"
    memberships: dict[str, str] = {}
    last_sources: dict[str, list[str]] = {}
    for event in csv.DictReader((reference / "us_membership_events.csv").open(encoding="utf-8")):
        slug = EVENT_ORG.get(event["org_acronym"])
        if slug is None:
            if event["source_url"]:
                seed.source(event["source_url"])  # EO 14199 and the memorandum: kept as sources
            continue
        if slug not in memberships:
            note = ("UNRWA: the US tie recorded here is funding only." if slug == "unrwa"
                    else "History from the dated events below; their sources state the kind of tie.")
            basis = bases[slug]
            assert basis is not None, slug
            memberships[slug] = _membership(seed, slug, basis, "confirmed", note)
        note = event["details"]
        if event["source_url"]:
            sources = [seed.source(event["source_url"])]
        else:  # UNFCCC's unknown effective date: the announcement's sources state the notice rule
            sources = last_sources[slug]
            note += " Cites the sources of the announcement, which state the one-year notice rule."
        if slug == "unfccc" and event["event_type"] == "withdrawal_announced":
            sources.insert(0, memo)
        last_sources[slug] = list(sources)
        _event(seed, memberships[slug], EVENT_TYPE.get(event["event_type"], event["event_type"]),
               event["event_date"], event["date_precision"], _event_verification(event["confirmed_by_source"]),
               sources, note)


COLUMNS = {
    "sources.csv": ["id", "url", "title", "publisher", "published_on", "published_precision", "kind", "confidence_note"],
    "categories.csv": ["id", "slug", "parent", "name_en", "name_zh", "position"],
    "organizations.csv": ["id", "slug", "system", "kind", "parent", "founded_on", "founded_precision", "headquarters", "website", "categories"],
    "organization_names.csv": ["id", "organization", "lang", "type", "value", "preferred", "verification", "sources", "note"],
    "organization_claims.csv": ["organization", "field", "verification", "sources", "note"],
    "listings.csv": ["id", "organization", "source", "section", "position", "sources", "note"],
    "memberships.csv": ["id", "country", "organization", "basis", "basis_verification", "note"],
    "membership_events.csv": ["id", "membership", "type", "date", "date_precision", "verification", "sources", "note"],
}


def write(seed: Seed) -> None:
    categories = [
        {"id": stable_id("cat", slug), "slug": slug, "parent": parent or "", "name_en": en, "name_zh": zh, "position": str(i)}
        for i, (slug, parent, en, zh) in enumerate(CATEGORIES)
    ]
    sources = [seed.sources[k] for k in sorted(seed.sources)]
    for source in sources:
        if source["published_on"] and source["published_precision"] != "day":
            source["published_on"] = _iso_date(source["published_on"], source["published_precision"])
    tables = {
        "sources.csv": sources,
        "categories.csv": categories,
        "organizations.csv": seed.organizations,
        "organization_names.csv": seed.names,
        "organization_claims.csv": seed.claims,
        "listings.csv": seed.listings,
        "memberships.csv": seed.memberships,
        "membership_events.csv": seed.events,
    }
    for filename, rows in tables.items():
        with (SEED / filename).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS[filename], lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        print(f"{filename}: {len(rows)} rows")


if __name__ == "__main__":
    if len(sys.argv) > 2:
        sys.exit("usage: build_from_reference.py [REFERENCE_FOLDER]  (default: seed/reference)")
    write(build(Path(sys.argv[1]) if len(sys.argv) == 2 else SEED / "reference"))
