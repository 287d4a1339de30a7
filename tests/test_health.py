from sqlalchemy import create_engine, select

from models import DuesRate
from models.db import make_reader_factory


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"


def test_healthz_is_503_when_the_database_is_gone(app, runtime):
    gone = create_engine("sqlite:////nonexistent-directory/kaderbot.db")
    runtime.engine, runtime.readers = gone, make_reader_factory(gone)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"


def test_migrations_load_the_dues_rate_history(db):
    rates = {(r.class_, r.effective_from.isoformat()): r.amount for r in db.execute(select(DuesRate)).scalars()}
    assert rates[(3, "2021-01-01")] == 35_000
    assert rates[(1, "2020-01-01")] == 160_000
    assert rates[(2, "2020-04-01")] == 51_000
