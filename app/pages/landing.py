"""The page at `/`: what the registry is, where its documentation is, what it covers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from app.pages.layout import link, page, text, with_lang
from app.vocabulary import Lang

WORDS: Mapping[Lang, Mapping[str, str]] = {
    "en": {
        "title": "orgreg: international organizations and who belongs to them",
        "intro": "An open registry of international organizations and of states' membership in "
        "them: what was country X's status in organization Y on date D, since when, and says "
        "who? Every fact carries its sources; what no source says stays unknown.",
        "api": "The API",
        "docs": "Swagger UI: every operation, tried in the browser (Authorize with an API key "
        "to write)",
        "redoc": "ReDoc: the same reference, for reading",
        "openapi": "The OpenAPI document",
        "reconcile": "Reconciliation service (OpenRefine): match a column of names",
        "problems": "Problem types: what each error means",
        "pages": "Pages",
        "memorandum": "The 2026-01-07 memorandum: the 66 organizations, before and after",
        "example_org": "An organization: the World Health Organization",
        "example_country": "A country: the United States",
        "coverage": "What the data covers",
        "counts": "Counts",
        "datasets": "Imported datasets (the years their observations cover)",
        "no_datasets": "none loaded on this server (the curated registry only)",
        "license": "Licences",
        "data_license": "Data",
        "code_license": "Code",
        "attribution": "Credit orgreg and the sources cited next to each fact.",
    },
    "zh": {
        "title": "orgreg:国际组织及其成员",
        "intro": "一个开放的国际组织及国家成员资格登记库:某国在某日期于某组织中的身份是什么、"
        "自何时起、依据何来源?每条事实都附有来源;没有来源的,标为未知。",
        "api": "API",
        "docs": "Swagger UI:在浏览器中试用每个操作(用 API 密钥授权后可写入)",
        "redoc": "ReDoc:同一参考文档,便于阅读",
        "openapi": "OpenAPI 文档",
        "reconcile": "对齐服务(OpenRefine):匹配一列名称",
        "problems": "错误类型说明",
        "pages": "页面",
        "memorandum": "2026年1月7日备忘录:66个组织,之前与之后",
        "example_org": "组织示例:世界卫生组织",
        "example_country": "国家示例:美国",
        "coverage": "数据覆盖范围",
        "counts": "数量",
        "datasets": "导入的数据集(观测所覆盖的年份)",
        "no_datasets": "本服务器未加载(仅人工整理的登记数据)",
        "license": "许可",
        "data_license": "数据",
        "code_license": "代码",
        "attribution": "请注明 orgreg 及各条事实所引用的来源。",
    },
}


def render(
    lang: Lang,
    counts: Mapping[str, int],
    datasets: Sequence[Mapping[str, object]],
    data_license: str,
    data_license_url: str,
) -> str:
    w = WORDS[lang]

    def item(href: str, label: str) -> str:
        return f"<li>{link(href, label)}</li>"

    api = "".join(
        [
            item("/docs", w["docs"]),
            item("/redoc", w["redoc"]),
            item("/openapi.json", w["openapi"]),
            item("/v1/reconcile", w["reconcile"]),
            item(with_lang("/problems", lang), w["problems"]),
        ]
    )
    pages = "".join(
        [
            item(with_lang("/memorandum-2026-01-07", lang), w["memorandum"]),
            item(with_lang("/organizations/who", lang), w["example_org"]),
            item(with_lang("/countries/US", lang), w["example_country"]),
        ]
    )
    count_rows = "".join(
        f"<tr><td>{text(name)}</td><td>{count:,}</td></tr>" for name, count in counts.items()
    )
    dataset_rows = (
        f"<li>{text(w['no_datasets'])}</li>"
        if not datasets
        else "".join(
            f"<li>{link(str(d['url']), str(d['title']))}: "
            f"{text(d['first'])[:4]}-{text(d['last'])[:4]}</li>"
            for d in datasets
        )
    )
    body = (
        f"<p>{text(w['intro'])}</p>"
        f"<h2>{text(w['api'])}</h2><ul>{api}</ul>"
        f"<h2>{text(w['pages'])}</h2><ul>{pages}</ul>"
        f"<h2>{text(w['coverage'])}</h2><table><tr><th colspan=2>{text(w['counts'])}</th></tr>"
        f"{count_rows}</table><p>{text(w['datasets'])}:</p><ul>{dataset_rows}</ul>"
        f"<h2>{text(w['license'])}</h2><ul>"
        f"<li>{text(w['data_license'])}: {link(data_license_url, data_license)}. "
        f"{text(w['attribution'])}</li>"
        f"<li>{text(w['code_license'])}: MIT</li></ul>"
    )
    return page(w["title"], body, lang=lang, path="/")
