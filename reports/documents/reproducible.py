"""Documents that rebuild byte for byte from their data.

WeasyPrint's PDFs carry no build time already. XLSX and DOCX are zip files whose members carry the time they were
written and whose docProps/core.xml carries «created» / «modified» stamps: `stable_zip` rewrites them with fixed
member times and without the stamps (both optional in OOXML), so a closed year's documents — whose data can no
longer change — come out identical whenever they are ordered. `document_date` is the date a document prints as
its own: today for an open year, the day the year was closed for a closed one.
"""
import io
import re
import zipfile

from django.utils import timezone

FIXED = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip member can carry
STAMPS = re.compile(rb"<dcterms:(created|modified)\b[^>]*>[^<]*</dcterms:\1>|<dcterms:(created|modified)\b[^>]*/>")


def stable_zip(data):
    """`data` (an XLSX or DOCX) with fixed member times, in a fixed order, and without build-time stamps."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = STAMPS.sub(b"", content)
            member = zipfile.ZipInfo(info.filename, date_time=FIXED)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o600 << 16
            target.writestr(member, content)
    return out.getvalue()


def document_date(municipality_id, year):
    """The date a document about `year` prints: the closure date once the year is closed, else today."""
    from indicators.models import YearClosure

    closure = YearClosure.objects.filter(year=year, municipality_id=municipality_id).values_list(
        "closed_at", flat=True).first()
    return timezone.localdate(closure) if closure else timezone.localdate()
