"""Every page of the site as a Page: where it goes, which template, and its view data."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cached_property

from markupsafe import Markup

from svccat.diff.matrix import State, consistency_matrix
from svccat.model import (
    CancelledCertificate,
    Department,
    Item,
    LegalDocument,
    Region,
    RetainedCertificate,
)
from svccat.resources import schemas_dir
from svccat.site import paths
from svccat.site.charts import Chart, Series, bar_chart
from svccat.site.data import Data, decoder, encode
from svccat.site.guide import Guide, guide
from svccat.site.labels import Labels
from svccat.site.metrics import RegionMetrics, all_region_metrics
from svccat.site.published import PUBLISHED, Link, Published
from svccat.site.views import (
    Count,
    CountTable,
    Fact,
    ItemRow,
    LegalCitation,
    citation,
    count_table,
    fact,
    facts,
    item_rows,
    type_order,
)


class PageMeta(Data, frozen=True, kw_only=True):
    """What the layout needs: the way back to the root, the title, where the page sits."""

    path: str
    root: str
    title: str
    breadcrumbs: tuple[Link, ...] = ()
    draft: bool = False


class DataLink(Data, frozen=True):
    text: Markup
    url: str
    format: str


class OpenData(Data, frozen=True):
    catalogue: tuple[DataLink, ...]
    registries: tuple[DataLink, ...]
    schemas: tuple[DataLink, ...]


class RegionNode(Data, frozen=True):
    link: Link
    level: Markup
    count: int
    children: tuple[RegionNode, ...]


class Group(Data, frozen=True):
    """Things listed under one region."""

    region: Link
    counts: tuple[Count, ...]
    rows: tuple[ItemRow, ...] = ()


class HomeView(Data, frozen=True, tag=True):
    regions: tuple[RegionNode, ...]
    departments: tuple[Group, ...]
    themes: tuple[Count, ...]
    types: tuple[Count, ...]
    data: OpenData


class RegionView(Data, frozen=True, tag=True):
    name: str
    level: Markup
    parent: Link | None
    subregions: tuple[Count, ...]
    departments: tuple[Count, ...]
    summary: Markup | None
    counts: CountTable | None
    rows: tuple[ItemRow, ...]
    downloads: tuple[DataLink, ...]
    matrix: Link | None = None


class MatrixCell(Data, frozen=True):
    state: str  # implemented, missing, deviating, extra or "" (the CSS class)
    label: Markup
    link: Link | None
    notes: str


class MatrixRow(Data, frozen=True):
    item: Link
    cells: tuple[MatrixCell, ...]


class MatrixView(Data, frozen=True, kw_only=True, tag=True):
    regions: tuple[Link, ...]
    rows: tuple[MatrixRow, ...]


class DepartmentView(Data, frozen=True, tag=True):
    name: str
    facts: tuple[Fact, ...]
    types: tuple[Count, ...]
    rows: tuple[ItemRow, ...]


class CitationRow(Data, frozen=True):
    item: Link
    region: Link
    kind: Markup
    article: str
    detail: str
    status: Markup | None


class LegalView(Data, frozen=True, tag=True):
    title: str
    facts: tuple[Fact, ...]
    url: str | None
    citations: tuple[CitationRow, ...]
    certificates: tuple[Link, ...]
    cancelling: tuple[Link, ...]


class RetainedRow(Data, frozen=True):
    anchor: str
    name: str
    basis: tuple[LegalCitation, ...]
    facts: tuple[Fact, ...]
    demanded_by: tuple[Link, ...]


class CancelledRow(Data, frozen=True):
    anchor: str
    name: str
    category: str
    reason: str
    cancelled_by: LegalCitation
    date: str


class CertificatesView(Data, frozen=True, tag=True):
    retained: tuple[RetainedRow, ...]
    cancelled: tuple[CancelledRow, ...]


class ListView(Data, frozen=True, tag=True):
    """A theme's or an item type's items, grouped by region."""

    title: str
    groups: tuple[Group, ...]


class MetricRow(Data, frozen=True):
    label: Markup
    values: tuple[str, ...]


class DashboardView(Data, frozen=True, tag=True):
    regions: tuple[Link, ...]
    rows: tuple[MetricRow, ...]
    charts: tuple[Chart, ...]


# What a page's template is given as `view`: one of these, tagged with its class's name in
# its bytes, or nothing (the search page and 404.html).
View = (HomeView | RegionView | MatrixView | DepartmentView | Guide | LegalView
        | CertificatesView | ListView | DashboardView)


@dataclass(frozen=True)
class Page:
    meta: PageMeta
    template: str
    view: View | None


def page_bytes(page: Page) -> bytes | None:
    """Everything a page is rendered from besides the build's globals, as bytes: what its
    digest is made of, and what a rendering worker is sent (svccat.site.workers). None when
    the view holds something that is not view data: the page is then rendered here."""
    try:
        return encode((page.template, page.meta, page.view))
    except (TypeError, ValueError, OverflowError, RecursionError):
        return None


_decode_page: Callable[[bytes], tuple[str, PageMeta, View | None]] = decoder(
    tuple[str, PageMeta, View | None])


def page_from_bytes(data: bytes) -> Page:
    template, meta, view = _decode_page(data)
    return Page(meta, template, view)


@dataclass(frozen=True)
class Pages:
    """Builds each page from the published catalogue, in one language, for one base URL."""

    site: Published
    labels: Labels
    base_url: str | None

    def meta(self, path: str, title: str, *, crumbs: Sequence[Link] = (),
             draft: bool = False) -> PageMeta:
        home = Link(self.labels.text("nav_home"), paths.INDEX)
        trail = (home, *crumbs, Link(title)) if path != paths.INDEX else ()
        return PageMeta(path=path, root=paths.root_for(path, self.base_url), title=title,
                        breadcrumbs=trail, draft=draft)

    def all(self) -> list[Page]:
        return list(self.each())

    def each(self) -> Iterator[Page]:
        """Every page, made one at a time: at 100,000 items the views would not all fit in
        memory at once."""
        for _, pages in self._groups():
            yield from pages

    def count(self) -> int:
        return sum(count for count, _ in self._groups())

    def _groups(self) -> list[tuple[int, Iterable[Page]]]:
        site, catalogue = self.site, self.site.catalogue
        regions = [r for _, r in sorted(catalogue.regions.items())]
        departments = [d for _, d in sorted(catalogue.departments.items())]
        documents = [d for _, d in sorted(catalogue.legal_documents.items())]
        single = (self.home, self.search, self.not_found, self.certificates, self.dashboard)
        return [
            (len(single), (make() for make in single)),
            (len(regions), (self.region(r) for r in regions)),
            (len(self._peer_groups), (self.consistency(r, peers) for r, peers in self._peer_groups)),
            (len(departments), (self.department(d) for d in departments)),
            (len(documents), (self.legal(d) for d in documents)),
            (len(site.items), (self.item(i) for i in site.items.values())),
            (len(site.by_theme), (self.theme(name, items) for name, items in site.by_theme.items())),
            (len(site.by_type), (self.item_type(name, items)
                                 for name, items in site.by_type.items())),
        ]

    # Home, search, 404 -------------------------------------------------------------

    def home(self) -> Page:
        site, t = self.site, self.labels.text
        return Page(self.meta(paths.INDEX, t("site_title")), "index.html", HomeView(
            regions=tuple(self._region_node(r, {r.code}) for r in site.roots()),
            departments=tuple(Group(site.region_link(code), tuple(
                Count(Link(d.name, paths.department(d.id)), len(site.by_department.get(d.id, ())))
                for d in departments)) for code, departments in self._departments_by_region()),
            themes=tuple(Count(Link(name, paths.theme(name)), len(items))
                         for name, items in site.by_theme.items()),
            types=tuple(Count(Link(name, paths.item_type(name)), len(items))
                        for name, items in sorted(site.by_type.items(),
                                                  key=lambda pair: type_order(pair[0]))),
            data=self._open_data()))

    def _region_node(self, region: Region, seen: set[str]) -> RegionNode:
        below = [r for r in self.site.subregions.get(region.code, ()) if r.code not in seen]
        return RegionNode(
            link=Link(region.name, paths.region(region.code)), level=self._level(region.level),
            count=len(self.site.by_region.get(region.code, ())),
            children=tuple(self._region_node(r, seen | {r.code}) for r in below))

    def _level(self, level: str) -> Markup:
        key = f"level_{level}"
        return self.labels.html(key) if self.labels.has(key) else Markup("")

    def _departments_by_region(self) -> list[tuple[str, list[Department]]]:
        grouped: dict[str, list[Department]] = {}
        for _, department in sorted(self.site.catalogue.departments.items()):
            grouped.setdefault(department.region, []).append(department)
        return sorted(grouped.items())

    def _open_data(self) -> OpenData:
        h = self.labels.html
        return OpenData(
            catalogue=(DataLink(h("data_catalogue"), paths.CATALOGUE_JSON, "JSON"),
                       DataLink(h("data_catalogue"), paths.CATALOGUE_CSV, "CSV")),
            registries=tuple(DataLink(h(key), paths.registry_data(name), "JSON") for name, key in (
                ("regions", "registry_regions"), ("departments", "registry_departments"),
                ("legal-documents", "registry_legal"), ("certificates", "registry_certificates"))),
            schemas=tuple(DataLink(Markup(name), f"schemas/{name}", "JSON Schema")
                          for name in self._schema_names()))

    def _schema_names(self) -> list[str]:
        return sorted(p.name for p in schemas_dir().glob("*.schema.json"))

    def search(self) -> Page:
        return Page(self.meta(paths.SEARCH, self.labels.text("search_title")), "search.html",
                    None)

    def not_found(self) -> Page:
        # Servers show 404.html at any depth, so relative links would break: use the base
        # URL, or the server root when none is given.
        meta = self.meta(paths.NOT_FOUND, self.labels.text("not_found_title"))
        return Page(PageMeta(path=meta.path, root=self.base_url or "/", title=meta.title),
                    "404.html", None)

    # Regions and departments -------------------------------------------------------

    def region(self, region: Region) -> Page:
        site, labels = self.site, self.labels
        items = site.by_region.get(region.code, ())
        crumbs = [site.region_link(r.code) for r in site.ancestors(region.code)]
        departments = [d for d in site.catalogue.departments.values() if d.region == region.code]
        tiers = {tier: sum(1 for i in items if i.tier == tier) for tier in ("main", "sub",
                                                                             "handling")}
        return Page(self.meta(paths.region(region.code), region.name, crumbs=crumbs),
                    "region.html", RegionView(
            name=region.name, level=self._level(region.level),
            parent=site.region_link(region.parent) if region.parent else None,
            subregions=tuple(Count(site.region_link(r.code), len(site.by_region.get(r.code, ())))
                             for r in site.subregions.get(region.code, ())),
            departments=tuple(Count(site.department_link(d.id),
                                    len(site.by_department.get(d.id, ())))
                              for d in sorted(departments, key=lambda d: d.id)),
            summary=labels.html("region_summary", total=len(items), **tiers) if items else None,
            counts=count_table(site, labels.html("region_counts_caption"), items)
            if items else None,
            rows=item_rows(site, labels, items),
            downloads=(DataLink(labels.html("region_list"), paths.region_data(region.code, "json"),
                                "JSON"),
                       DataLink(labels.html("region_list"), paths.region_data(region.code, "csv"),
                                "CSV")),
            matrix=Link(labels.text("region_matrix"), paths.consistency(region.code))
            if any(r.code == region.code for r, _ in self._peer_groups) else None))

    @cached_property
    def _peer_groups(self) -> list[tuple[Region, list[str]]]:
        """Regions whose subordinate regions (two or more) implement baseline items."""
        found = []
        implementing = {i.region for i in self.site.items.values() if i.implements}
        for code, region in sorted(self.site.catalogue.regions.items()):
            peers = [r.code for r in self.site.subregions.get(code, ()) if r.code in implementing]
            if len(peers) >= 2:
                found.append((region, peers))
        return found

    def consistency(self, region: Region, peers: list[str]) -> Page:
        site, labels = self.site, self.labels
        shown = replace(site.catalogue, items=dict(site.items))
        matrix = consistency_matrix(shown, peers)
        state_label = {State.IMPLEMENTED: "matrix_implemented", State.MISSING: "matrix_missing",
                       State.DEVIATING: "matrix_deviating", State.EXTRA: "matrix_extra",
                       State.ABSENT: "matrix_absent"}
        rows = tuple(MatrixRow(
            item=site.item_link(row.baseline) or Link(row.name) if row.baseline
            else site.item_link(next(c.item for c in row.cells if c.item)) or Link(row.name),
            cells=tuple(MatrixCell(c.state.value, labels.html(state_label[c.state]),
                                   site.item_link(c.item), "；".join(c.notes))
                        for c in row.cells)) for row in matrix.rows)
        crumbs = [*(site.region_link(r.code) for r in site.ancestors(region.code)),
                  site.region_link(region.code)]
        title = labels.text("matrix_title", name=region.name)
        return Page(self.meta(paths.consistency(region.code), title, crumbs=crumbs),
                    "consistency.html", MatrixView(
                        regions=tuple(site.region_link(r.code) for r in matrix.regions),
                        rows=rows))

    def department(self, department: Department) -> Page:
        site, labels = self.site, self.labels
        h = labels.html
        items = site.by_department.get(department.id, ())
        crumbs = [*(site.region_link(r.code) for r in site.ancestors(department.region)),
                  site.region_link(department.region)]
        return Page(self.meta(paths.department(department.id), department.name,
                              crumbs=crumbs), "department.html", DepartmentView(
            name=department.name,
            facts=facts(fact(h("field_region"), site.region_link(department.region)),
                        fact(h("dept_system"), department.system),
                        fact(h("dept_credit_code"), department.credit_code),
                        fact(h("dept_address"), department.address),
                        fact(h("dept_phone"), department.phone)),
            types=_type_counts(items),
            rows=item_rows(site, labels, items)))

    # Items ---------------------------------------------------------------------------

    def item(self, item: Item) -> Page:
        site = self.site
        crumbs = [*(site.region_link(r.code) for r in site.ancestors(item.region)),
                  site.region_link(item.region),
                  *(Link(a.name, paths.item(a.id)) for a in site.item_ancestors(item))]
        meta = self.meta(paths.item(item.id), item.name, crumbs=crumbs,
                         draft=item.status != PUBLISHED)
        view: Guide = guide(site, self.labels, item, root=meta.root)
        return Page(meta, "item.html", view)

    def theme(self, name: str, items: Iterable[Item]) -> Page:
        title = self.labels.text("theme_title", theme=name)
        return Page(self.meta(paths.theme(name), title), "list.html",
                    ListView(title, self._by_region(items)))

    def item_type(self, name: str, items: Iterable[Item]) -> Page:
        title = self.labels.text("type_title", type=name)
        return Page(self.meta(paths.item_type(name), title), "list.html",
                    ListView(title, self._by_region(items)))

    def _by_region(self, items: Iterable[Item]) -> tuple[Group, ...]:
        grouped: dict[str, list[Item]] = {}
        for item in items:
            grouped.setdefault(item.region, []).append(item)
        return tuple(Group(self.site.region_link(code), (), item_rows(self.site, self.labels, mine))
                     for code, mine in sorted(grouped.items()))

    # Legal documents and certificates ---------------------------------------------

    def legal(self, document: LegalDocument) -> Page:
        site, labels = self.site, self.labels
        h = labels.html
        status_key = f"legal_status_{document.status}"
        cited = site.citations.get(document.id, ())
        order = ("setting", "implementing", "material", "fee")
        rows = tuple(CitationRow(
            item=Link(c.item.name, paths.item(c.item.id)), region=site.region_link(c.item.region),
            kind=h(f"cite_{c.kind}"), article=c.article or "", detail=c.detail or "",
            status=None if c.item.status == PUBLISHED else h("draft_tag"))
            for c in sorted(cited, key=lambda c: (c.item.region, c.item.id, order.index(c.kind))))
        retained = [c for _, c in sorted(site.catalogue.retained.items())
                    if any(r.document == document.id for r in c.basis)]
        cancelling = [c for _, c in sorted(site.catalogue.cancelled.items())
                      if c.cancelled_by.document == document.id]
        return Page(self.meta(paths.legal(document.id), document.title), "legal.html",
                    LegalView(
            title=document.title,
            facts=facts(fact(h("legal_number"), document.number),
                        fact(h("legal_issuer"), document.issuer),
                        fact(h("legal_level"), document.level),
                        fact(h("legal_status"), labels.text(status_key)
                             if labels.has(status_key) else document.status),
                        fact(h("legal_issued"), document.issued),
                        fact(h("legal_effective"), document.effective),
                        fact(h("legal_amended"), "、".join(document.amended)),
                        fact(h("legal_repealed"), document.repealed),
                        fact(h("legal_replaced_by"), site.legal_link(document.replaced_by)
                             if document.replaced_by else None)),
            url=document.url, citations=rows,
            certificates=tuple(Link(c.name, paths.certificate(c.id)) for c in retained),
            cancelling=tuple(Link(c.name, paths.certificate(c.id)) for c in cancelling)))

    def certificates(self) -> Page:
        site = self.site
        catalogue = site.catalogue
        return Page(self.meta(paths.CERTIFICATES, self.labels.text("cert_title")),
                    "certificates.html", CertificatesView(
            retained=tuple(self._retained(c) for _, c in sorted(catalogue.retained.items())),
            cancelled=tuple(self._cancelled(c) for _, c in sorted(catalogue.cancelled.items()))))

    def _retained(self, certificate: RetainedCertificate) -> RetainedRow:
        site, labels = self.site, self.labels
        h = labels.html
        holder = site.department_name(certificate.data_holder) if certificate.data_holder else None
        sharing = None
        if holder or certificate.data_channel:
            sharing = labels.text("cert_sharing_value", holder=holder or "",
                                  channel=certificate.data_channel or "")
        return RetainedRow(
            anchor=f"cert-{certificate.id}", name=certificate.name,
            basis=tuple(citation(site, r) for r in certificate.basis),
            facts=facts(fact(h("cert_demanding"), certificate.demanding_unit),
                        fact(h("cert_issuing"), certificate.issuing_unit),
                        fact(h("cert_guide"), certificate.guide),
                        fact(h("cert_area"), certificate.area),
                        fact(h("cert_commitment"), labels.text("cert_commitment_yes")
                             if certificate.commitment else None),
                        fact(h("cert_sharing"), sharing)),
            demanded_by=tuple(Link(f"{site.region_name(i.region)} · {i.name}", paths.item(i.id))
                              for i in site.demanded.get(certificate.id, ())))

    def _cancelled(self, certificate: CancelledCertificate) -> CancelledRow:
        return CancelledRow(anchor=f"cert-{certificate.id}", name=certificate.name,
                            category=certificate.category, reason=certificate.reason,
                            cancelled_by=citation(self.site, certificate.cancelled_by),
                            date=certificate.date or "")

    # Dashboard ---------------------------------------------------------------------

    def dashboard(self) -> Page:
        metrics = all_region_metrics(self.site)
        return Page(self.meta(paths.DASHBOARD, self.labels.text("dash_title")),
                    "dashboard.html", DashboardView(
            regions=tuple(self.site.region_link(m.code) for m in metrics),
            rows=self._metric_rows(metrics), charts=self._charts(metrics)))

    def _metric_rows(self, metrics: Sequence[RegionMetrics]) -> tuple[MetricRow, ...]:
        h = self.labels.html

        def row(key: str, values: Iterable[str]) -> MetricRow:
            return MetricRow(h(key), tuple(values))

        return (
            row("metric_leaves", (str(m.leaves) for m in metrics)),
            row("metric_instant", (_percent(m.share(m.instant)) for m in metrics)),
            row("metric_online", (_percent(m.share(m.online)) for m in metrics)),
            row("metric_self_service", (_percent(m.share(m.self_service)) for m in metrics)),
            row("metric_materials", (_decimal(m.materials_average) for m in metrics)),
            row("metric_certificates", (str(m.certificates) for m in metrics)),
            row("metric_shared", (str(m.shared_certificates) for m in metrics)),
            row("metric_statutory", (_decimal(m.statutory_average) for m in metrics)),
            row("metric_committed", (_decimal(m.committed_average) for m in metrics)),
            row("metric_compression", ("" if m.compression is None else _percent(m.compression)
                                       for m in metrics)),
            row("metric_no_basis", (str(m.without_basis) for m in metrics)),
        )

    def _charts(self, metrics: Sequence[RegionMetrics]) -> tuple[Chart, ...]:
        t = self.labels.text
        names = [m.name for m in metrics]

        def share(key: str, counts: Sequence[int]) -> Chart:
            values = tuple(m.share(c) for m, c in zip(metrics, counts, strict=True))
            return self._chart(key, names, [Series(t(key), values,
                                                   tuple(_percent(v) for v in values))], 1.0)

        def amount(key: str, values: Sequence[float], show: Sequence[str]) -> Chart:
            return self._chart(key, names, [Series(t(key), tuple(values), tuple(show))], None)

        averages = [m.materials_average for m in metrics]
        statutory = tuple(m.statutory_average for m in metrics)
        committed = tuple(m.committed_average for m in metrics)
        return (
            share("metric_instant", [m.instant for m in metrics]),
            share("metric_online", [m.online for m in metrics]),
            share("metric_self_service", [m.self_service for m in metrics]),
            amount("metric_materials", averages, [_decimal(v) for v in averages]),
            amount("metric_certificates", [m.certificates for m in metrics],
                   [str(m.certificates) for m in metrics]),
            self._chart("chart_limits", names, [
                Series(t("metric_committed"), committed, tuple(_decimal(v) for v in committed)),
                Series(t("metric_statutory"), statutory, tuple(_decimal(v) for v in statutory))],
                None),
            amount("metric_no_basis", [m.without_basis for m in metrics],
                   [str(m.without_basis) for m in metrics]),
        )

    def _chart(self, key: str, names: Sequence[str], series: Sequence[Series],
               maximum: float | None) -> Chart:
        t = self.labels.text
        title = t(key)
        values = "；".join(
            f"{name} " + "，".join(f"{s.name} {s.texts[i]}" if len(series) > 1 else s.texts[i]
                                  for s in series)
            for i, name in enumerate(names))
        return bar_chart(id=f"chart-{key.replace('_', '-')}", title=title,
                         description=t("chart_desc", title=title, values=values),
                         rows=names, series=series, maximum=maximum)


def _type_counts(items: Iterable[Item]) -> tuple[Count, ...]:
    counted: dict[str, int] = {}
    for item in items:
        counted[item.type] = counted.get(item.type, 0) + 1
    return tuple(Count(Link(name, paths.item_type(name)), n)
                 for name, n in sorted(counted.items(), key=lambda pair: type_order(pair[0])))


def _percent(value: float) -> str:
    return f"{value * 100:.1f}%"


def _decimal(value: float) -> str:
    return f"{value:.1f}"
