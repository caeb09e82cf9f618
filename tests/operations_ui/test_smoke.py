import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from homeward.operations.models import ManifestEntry, Operation

pytestmark = pytest.mark.django_db


def test_admin_sees_pages(client, users, pairs):
    client.force_login(users["admin"])
    ru = pairs[Operation][0]
    entry = pairs[ManifestEntry][0]
    assert client.get(reverse("operations:operation_list") + "?month=2026-06").status_code == 200
    r = client.get(reverse("operations:operation_detail", args=[ru.pk]))
    assert r.status_code == 200, r.content[:2000]
    r = client.get(reverse("operations:manifest_pdf", args=[ru.pk]) + "?lang=ar")
    assert r.status_code == 200
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    print(text)
    open("/tmp/ops-ui-manifest.pdf", "wb").write(r.content)
    r = client.get(reverse("operations:handover_record_pdf", args=[entry.pk]) + "?lang=ar")
    assert r.status_code == 200
    open("/tmp/ops-ui-handover.pdf", "wb").write(r.content)
