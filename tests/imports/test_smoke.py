from homeward.imports import services
from homeward.imports.choices import BatchStatus
from homeward.people.models import Person
from tests.imports.conftest import (
    CHILD_HEADERS,
    assert_ready,
    child_row,
    csv_bytes,
    upload_and_check,
)


def test_children_happy_path(registrar, prison):
    data = csv_bytes(
        [CHILD_HEADERS, child_row(), child_row("Adam Dakaev", sex="male", born="25/12/2014")]
    )
    batch = upload_and_check(registrar, "children", data)
    assert_ready(batch)
    assert batch.date_order == "dmy"
    batch = services.commit_batch(batch, actor=registrar)
    assert batch.status == BatchStatus.COMMITTED, batch.failure
    assert Person.objects.filter(kind="child").count() == 2
    assert Person.objects.filter(kind="adult").count() == 1
