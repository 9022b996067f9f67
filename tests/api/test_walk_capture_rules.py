"""Category questions, the walk's categories, urgency, and polling with ETags."""
from sqlalchemy import text

from tests.factories import BISMARCKPLATZ, finding_payload, make_walk


def offer(session, walk_id, *slugs):
    for slug in slugs:
        session.execute(text("INSERT INTO walk_categories VALUES (:w, :s)"), {"w": walk_id, "s": slug})
    session.commit()


def test_answers_are_checked_against_the_category_questions(client, session):
    bad = client.post("/api/findings", json=finding_payload(
        category="empty_shop", attributes={"ground_floor": "maybe", "colour": "red"}))
    assert bad.status_code == 422
    assert {"attributes.ground_floor", "attributes.colour"} <= set(bad.get_json()["fields"])
    good = client.post("/api/findings", json=finding_payload(
        category="cycle_path", attributes={"damage": ["roots", "potholes", "roots"]}, urgency=5))
    assert good.status_code == 201
    assert good.get_json()["properties"]["attributes"] == {"damage": ["potholes", "roots"]}
    stored = session.execute(text("SELECT attributes, urgency FROM findings")).one()
    assert stored == ({"damage": ["potholes", "roots"]}, 5)


def test_required_question_must_be_answered(client, session):
    session.execute(text("""INSERT INTO category_attributes (category_slug, code, datatype, required, label_de, label_en)
                            VALUES ('litter', 'amount', 'number', true, 'Wie viel?', 'How much?')"""))
    session.commit()
    try:
        response = client.post("/api/findings", json=finding_payload(category="litter"))
        assert response.status_code == 422 and "attributes.amount" in response.get_json()["fields"]
        assert client.post("/api/findings", json=finding_payload(
            category="litter", attributes={"amount": 3})).status_code == 201
    finally:
        session.execute(text("DELETE FROM category_attributes WHERE code = 'amount'"))
        session.commit()


def test_a_text_answer_of_spaces_is_no_answer(client, session):
    """Refused where the question is required, else not stored (nothing waits for moderation)."""
    session.execute(text("""INSERT INTO category_attributes (category_slug, code, datatype, required, label_de, label_en)
                            VALUES ('litter', 'where', 'string', true, 'Wo genau?', 'Where exactly?'),
                                   ('litter', 'note', 'text', false, 'Notiz', 'Note')"""))
    session.commit()
    try:
        refused = client.post("/api/findings", json=finding_payload(category="litter", attributes={"where": "   "}))
        assert refused.status_code == 422 and refused.get_json()["fields"] == {"attributes.where": "Diese Angabe fehlt."}
        stored = client.post("/api/findings", json=finding_payload(
            category="litter", attributes={"where": " am Kiosk ", "note": " \n "}))
        assert stored.status_code == 201
        assert stored.get_json()["properties"]["attributes"] == {"where": "am Kiosk"}
    finally:
        session.execute(text("DELETE FROM category_attributes WHERE code IN ('where', 'note')"))
        session.commit()


def test_a_walk_takes_only_its_categories(client, session):
    walk = make_walk(session)
    offer(session, walk, "empty_shop", "noise")
    slugs = [c["slug"] for c in client.get(f"/api/categories?walk={walk}").get_json()["categories"]]
    assert slugs == ["noise", "empty_shop"]
    refused = client.post("/api/findings", json=finding_payload(category="litter", walk_id=str(walk)))
    assert refused.status_code == 422 and "category" in refused.get_json()["fields"]
    assert client.post("/api/findings", json=finding_payload(walk_id=str(walk))).status_code == 201


def test_categories_carry_their_questions(client):
    categories = {c["slug"]: c for c in client.get("/api/categories").get_json()["categories"]}
    questions = {q["code"]: q for q in categories["empty_shop"]["attributes"]}
    assert questions["ground_floor"]["datatype"] == "singlevaluelist"
    assert {v["key"] for v in questions["ground_floor"]["values"]} == {"yes", "no", "unknown"}


def test_urgency_out_of_scale_is_refused(client):
    response = client.post("/api/findings", json=finding_payload(urgency=6))
    assert response.status_code == 422 and "urgency" in response.get_json()["fields"]


def test_unchanged_walk_findings_answer_304(client, session):
    walk = make_walk(session)
    client.post("/api/findings", json=finding_payload(*BISMARCKPLATZ, walk_id=str(walk)))
    first = client.get(f"/api/findings?walk={walk}")
    etag = first.headers["ETag"]
    assert client.get(f"/api/findings?walk={walk}", headers={"If-None-Match": etag}).status_code == 304
    client.post("/api/findings", json=finding_payload(*BISMARCKPLATZ, walk_id=str(walk)))
    assert client.get(f"/api/findings?walk={walk}", headers={"If-None-Match": etag}).status_code == 200


def test_walk_detail_by_id_and_join_code(client, session):
    walk = make_walk(session, title="Alt-Homberg: Einzelhandel")
    offer(session, walk, "empty_shop")
    by_id = client.get(f"/api/walks/{walk}").get_json()
    by_code = client.get(f"/api/walks/{by_id['join_code']}").get_json()
    assert by_id == by_code
    assert by_id["title"] == "Alt-Homberg: Einzelhandel"
    assert by_id["categories"] == ["empty_shop"]
    (south, west), (north, east) = by_id["bounds"]
    assert south < BISMARCKPLATZ[0] < north and west < BISMARCKPLATZ[1] < east
    assert client.get("/api/walks/nosuchcode").status_code == 404
