"""OCDS 1.1 releases of an allocation (or of its tombstone), as plain JSON data.

Everything here is a pure function of the record, its agency and a :class:`Context`: no
clock, no I/O (but the catalogue files ``Context.copies`` looks up, the site's decision),
so that the same input gives the same releases. The stage mapping
(docs/ocds.md)::

    before -> release <ocid>-before  tag planning  (tender: title, description, status)
    during -> release <ocid>-during  tag tender    (tender: awardCriteriaDetails, period)
    after  -> release <ocid>-after   tag award     (awards[0]: value, supplier, date)
    withdrawn -> release <ocid>-withdrawn  tag tenderCancellation (tender.status withdrawn)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeAlias

from attrs import frozen

from ...model import Agency, Allocation, Attachment, Money, Text, localize
from ...model.allocation import ResultStage, Stage
from ...publishing import Tombstone
from ..pages import AttachmentFile, attachment_url, clean, web_url, without_userinfo

__all__ = ["CURRENCIES", "Context", "Json", "release_date", "releases_of", "tombstone_release"]

#: JSON data: dicts, lists, strings, numbers (money as Decimal, written exactly), bools.
Json: TypeAlias = Any

#: OCDS's ``currency`` codelist (ISO 4217, current and historic) of schema 1.1.5: a
#: ``value`` in another currency would make the package invalid.
CURRENCIES = frozenset("""
ADP AED AFA AFN ALK ALL AMD ANG AOA AOK AON AOR ARA ARP ARS ARY ATS AUD AWG AYM AZM AZN
BAD BAM BBD BDT BEC BEF BEL BGJ BGK BGL BGN BHD BIF BMD BND BOB BOP BOV BRB BRC BRE BRL
BRN BRR BSD BTN BUK BWP BYB BYN BYR BZD CAD CDF CHC CHE CHF CHW CLF CLP CNY COP COU CRC
CSD CSJ CSK CUC CUP CVE CYP CZK DDM DEM DJF DKK DOP DZD ECS ECV EEK EGP ERN ESA ESB ESP
ETB EUR FIM FJD FKP FRF GBP GEK GEL GHC GHP GHS GIP GMD GNE GNF GNS GQE GRD GTQ GWE GWP
GYD HKD HNL HRD HRK HTG HUF IDR IEP ILP ILR ILS INR IQD IRR ISJ ISK ITL JMD JOD JPY KES
KGS KHR KMF KPW KRW KWD KYD KZT LAJ LAK LBP LKR LRD LSL LSM LTL LTT LUC LUF LUL LVL LVR
LYD MAD MDL MGA MGF MKD MLF MMK MNT MOP MRO MRU MTL MTP MUR MVQ MVR MWK MXN MXP MXV MYR
MZE MZM MZN NAD NGN NIC NIO NLG NOK NPR NZD OMR PAB PEH PEI PEN PES PGK PHP PKR PLN PLZ
PTE PYG QAR RHD ROK ROL RON RSD RUB RUR RWF SAR SBD SCR SDD SDG SDP SEK SGD SHP SIT SKK
SLL SOS SRD SRG SSP STD STN SUR SVC SYP SZL THB TJR TJS TMM TMT TND TOP TPE TRL TRY TTD
TWD TZS UAH UAK UGS UGW UGX USD USN USS UYI UYN UYP UYU UYW UZS VEB VEF VES VNC VND VUV
WST XAF XAG XAU XBA XBB XBC XBD XCD XDR XEU XFO XFU XOF XPD XPF XPT XRE XSU XTS XUA XXX
YDD YER YUD YUM YUN ZAL ZAR ZMK ZMW ZRN ZRZ ZWC ZWD ZWL ZWN ZWR
""".split())  # noqa: SIM905 - laid out as a table

#: An allocation's ``status`` as OCDS's closed tenderStatus codelist says it.
TENDER_STATUS = {"planned": "planned", "open": "active", "closed": "complete",
                 "cancelled": "cancelled"}
#: The OCDS documentType of the attachments of each stage.
DOCUMENT_TYPE = {"before": "tenderNotice", "during": "evaluationCriteria",
                 "after": "awardNotice"}
#: The party id of an allocation's awardee (agency parties are ``agency:<id>``, and an
#: id never holds ``:``, so the two never meet).
AWARDEE = "awardee"

_WITHDRAWN = {"zh": "{on} 撤回。理由：{reason}", "en": "Withdrawn on {on}. Reason: {reason}"}


@frozen(kw_only=True)
class Context:
    """What the releases of one run share.

    Attributes:
        prefix: the ocid prefix (``ocds-xxxxxx``).
        zone: the catalogue's timezone (dates are written in it).
        languages: the catalogue's languages, the default first.
        base_url: the site's base URL (relative attachment URLs resolve against it).
        copies: the site's copies of a record's attachments (``pages.attachment_copies``
            with the job's ``file_digest``; default: none, every catalogue file linked
            below ``base_url``).
    """

    prefix: str
    zone: dt.tzinfo
    languages: tuple[str, ...]
    base_url: str
    copies: Callable[[Allocation], Mapping[str, AttachmentFile]] = lambda record: {}

    @property
    def default(self) -> str:
        """The catalogue's default language: the releases' ``language``."""
        return self.languages[0]

    def ocid(self, ident: str) -> str:
        """The ocid of the allocation ``ident``."""
        return f"{self.prefix}-{ident}"


def iso(moment: dt.datetime, zone: dt.tzinfo) -> str:
    """An RFC 3339 date-time in the catalogue's zone."""
    return moment.astimezone(zone).isoformat()


def midnight(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    """The start of ``day`` in ``zone``."""
    return dt.datetime.combine(day, dt.time(), zone)


def localized(key: str, text: Text | None, ctx: Context) -> dict[str, str]:
    """``{key: text in the default language}`` plus ``key_<lang>`` for each other
    catalogue language the text is given in (OCDS's translation convention); nothing for
    an empty text. A text without the default language falls back as everywhere else. A
    URL in the text (a Markdown body's link) loses its user information."""
    plain = without_userinfo(clean(localize(text, ctx.default, ctx.default))).strip()
    found = {key: plain} if plain else {}
    if isinstance(text, dict):
        for lang in ctx.languages[1:]:
            value = without_userinfo(clean(text.get(lang) or "")).strip()
            if value:
                found[f"{key}_{lang}"] = value
    return found


def release_date(record: Allocation, stage: str, announced: dt.datetime, zone: dt.tzinfo
                 ) -> dt.datetime:
    """When a stage's release was published: its ``published_at``; else for ``before`` the
    record's ``issued_at`` or ``publish_at``, else ``announced`` (when this target first
    published the record); for ``during`` the ``before`` date; for ``after`` its
    ``decided_on`` (midnight in ``zone``), else the ``during`` date."""
    found = record.stage(stage)
    if found is not None and found.published_at is not None:
        return found.published_at
    if stage == "before":
        return record.issued_at or record.publish_at or announced
    if stage == "during":
        return release_date(record, "before", announced, zone)
    if isinstance(found, ResultStage) and found.decided_on is not None:
        return midnight(found.decided_on, zone)
    return release_date(record, "during", announced, zone)


def _party(agency: Agency, ctx: Context) -> dict[str, Json]:
    party: dict[str, Json] = {"id": f"agency:{agency.id}", "roles": ["buyer", "procuringEntity"],
                              **localized("name", agency.name, ctx)}
    street = clean(localize(agency.address, ctx.default, ctx.default)).strip()
    if street:
        party["address"] = {"streetAddress": street}
    contact: dict[str, Json] = {}
    if agency.contact is not None:
        contact.update(localized("name", agency.contact.unit, ctx))
        if agency.contact.email and clean(agency.contact.email).strip():
            contact["email"] = clean(agency.contact.email).strip()
        if agency.contact.phone and clean(agency.contact.phone).strip():
            contact["telephone"] = clean(agency.contact.phone).strip()
    website = web_url(agency.website, ctx.base_url)
    if website:
        contact["url"] = website
    if contact:
        party["contactPoint"] = contact
    return party


def _reference(party: dict[str, Json]) -> dict[str, Json]:
    """An OrganizationReference to ``party``: its id and plain name."""
    return {key: party[key] for key in ("id", "name") if key in party}


def _documents(record: Allocation, name: str, stage: Stage, date: dt.datetime,
               ctx: Context) -> list[dict[str, Json]]:
    copies = ctx.copies(record)  # catalogue files: the site's copies, as feeds link
    documents = []
    for n, attachment in enumerate(stage.attachments, start=1):
        documents.append(_document(attachment, f"{name}-{n}", DOCUMENT_TYPE[name], date,
                                   copies, ctx))
    return documents


def _document(attachment: Attachment, ident: str, kind: str, date: dt.datetime,
              copies: Mapping[str, AttachmentFile], ctx: Context) -> dict[str, Json]:
    document: dict[str, Json] = {"id": ident, "documentType": kind,
                                 "datePublished": iso(date, ctx.zone),
                                 **localized("title", attachment.title, ctx)}
    url = attachment_url(attachment, copies, ctx.base_url)
    if url:
        document["url"] = url
    media = clean(attachment.media_type or "").strip()
    if media:
        document["format"] = media
    return document


def _value(amount: Money) -> dict[str, Json] | None:
    if amount.currency not in CURRENCIES:
        return None
    return {"amount": amount.amount, "currency": amount.currency}


def _envelope(ocid: str, suffix: str, date: dt.datetime, tag: str, party: dict[str, Json] | None,
              ctx: Context) -> dict[str, Json]:
    release: dict[str, Json] = {"ocid": ocid, "id": f"{ocid}-{suffix}", "date": iso(date, ctx.zone),
                                "tag": [tag], "initiationType": "tender",
                                "language": ctx.default}
    if party is not None:
        release["buyer"] = _reference(party)
        release["parties"] = [party]
    return release


def releases_of(record: Allocation, agency: Agency | None, announced: dt.datetime,
                ctx: Context) -> tuple[list[dict[str, Json]], list[str]]:
    """The releases of a live allocation, oldest stage first, and warnings (a value left
    out). ``agency``: the record's agency if it is public (else no buyer is named);
    ``announced``: when this target first published the record (the date of last resort).
    """
    ocid, warnings = ctx.ocid(record.id), list[str]()
    party = _party(agency, ctx) if agency is not None else None
    status = TENDER_STATUS.get(record.status)
    tender = _tender(record, party, ctx)
    before, during, after = record.before, record.during, record.after

    # before: always, as the notice of the allocation (its own date even without a stage)
    date = release_date(record, "before", announced, ctx.zone)
    first = _envelope(ocid, "before", date, "planning", party, ctx)
    # the planned state, unless no tender release follows to carry the current status
    shown = status if status == "cancelled" or (during is None and status) else "planned"
    first["tender"] = {**tender, "status": shown}
    if before is not None and before.attachments:
        first["planning"] = {"documents": _documents(record, "before", before, date, ctx)}
    releases = [first]

    if during is not None:
        date = release_date(record, "during", announced, ctx.zone)
        second = _envelope(ocid, "during", date, "tenderCancellation" if status == "cancelled"
                           else "tender", party, ctx)
        second["tender"] = {**tender, **localized("awardCriteriaDetails", during.body, ctx),
                            **({"status": status} if status else {})}
        if during.attachments:
            second["tender"]["documents"] = _documents(record, "during", during, date, ctx)
        releases.append(second)

    if after is not None:
        date = release_date(record, "after", announced, ctx.zone)
        third = _envelope(ocid, "after", date, "award", party, ctx)
        award, supplier = _award(record, after, date, ctx, warnings)
        if supplier is not None:
            third["parties"] = [*third.get("parties", []), supplier]
        third["awards"] = [award]
        releases.append(third)
    return releases, warnings


def _tender(record: Allocation, party: dict[str, Json] | None, ctx: Context
            ) -> dict[str, Json]:
    """What every release's ``tender`` says: id, title, description (the ``before`` body,
    else the summary), procuring entity and period."""
    before, during = record.before, record.during
    tender: dict[str, Json] = {"id": record.id, **localized("title", record.title, ctx),
                               **localized("description", before.body if before and
                                           before.body else record.summary, ctx)}
    if party is not None:
        tender["procuringEntity"] = _reference(party)
    period = {"endDate": iso(record.closes_at, ctx.zone)} if record.closes_at else {}
    if during is not None and during.published_at is not None:
        period["startDate"] = iso(during.published_at, ctx.zone)
    if period:
        tender["tenderPeriod"] = period
    return tender


def _award(record: Allocation, after: ResultStage, date: dt.datetime, ctx: Context,
           warnings: list[str]) -> tuple[dict[str, Json], dict[str, Json] | None]:
    """The award of the ``after`` stage, and its supplier party (None without awardee)."""
    award: dict[str, Json] = {"id": f"{record.id}-award", "status": "active",
                              **localized("title", record.title, ctx),
                              **localized("description", after.body, ctx)}
    if after.decided_on is not None:
        award["date"] = iso(midnight(after.decided_on, ctx.zone), ctx.zone)
    if after.amount is not None:
        value = _value(after.amount)
        if value is None:
            warnings.append(f"ocds: allocation {record.id!r}: currency "
                            f"{after.amount.currency!r} is not in OCDS's codelist: the "
                            "award is published without its value")
        else:
            award["value"] = value
    if after.attachments:
        award["documents"] = _documents(record, "after", after, date, ctx)
    supplier = {"id": AWARDEE, "roles": ["supplier"], **localized("name", after.awardee, ctx)}
    if "name" not in supplier:
        return award, None
    award["suppliers"] = [_reference(supplier)]
    return award, supplier


def tombstone_release(stone: Tombstone, agency: Agency | None, ctx: Context
                      ) -> dict[str, Json]:
    """The one release of a withdrawn allocation: ``tenderCancellation`` with tender status
    ``withdrawn``, its title and the reason; dated at the withdrawal (or the record's last
    date, if later), so that it is the newest release of its ocid."""
    zone = ctx.zone
    date = max([midnight(stone.withdrawn.on, zone),
                *(d for d in (stone.issued_at, stone.updated_at) if d is not None)])
    party = _party(agency, ctx) if agency is not None else None
    release = _envelope(ctx.ocid(stone.id), "withdrawn", date, "tenderCancellation", party, ctx)
    tender: dict[str, Json] = {"id": stone.id, "status": "withdrawn",
                               **localized("title", stone.title, ctx)}
    for lang in ctx.languages:
        reason = clean(localize(stone.withdrawn.reason, lang, ctx.default)).strip()
        words = _WITHDRAWN["zh" if lang.lower().startswith("zh") else "en"]
        text = words.format(on=stone.withdrawn.on.isoformat(), reason=reason)
        tender["description" if lang == ctx.default else f"description_{lang}"] = text
    if party is not None:
        tender["procuringEntity"] = _reference(party)
    release["tender"] = tender
    return release


def package_date(releases: Iterable[dict[str, Json]], extra: Iterable[dt.datetime],
                 zone: dt.tzinfo) -> str:
    """A package's ``publishedDate``: its newest release, or a later change of the record
    (an update keeps the release ids and dates: docs/ocds.md)."""
    moments = [dt.datetime.fromisoformat(r["date"]) for r in releases] + list(extra)
    return iso(max(moments), zone)

