"""The API speaks the request's language: category labels and error messages."""
from tests.factories import finding_payload


def by_slug(response):
    return {c["slug"]: c for c in response.get_json()["categories"]}


def test_categories_carry_a_turkish_label(client):
    categories = by_slug(client.get("/api/categories?lang=tr"))
    assert categories["noise"]["label"] == "Gürültü"
    assert categories["empty_shop"]["label"] == "Boş dükkân"
    assert categories["noise"]["label_de"] == "Lärm" and categories["noise"]["label_en"] == "Noise"


def test_category_questions_and_answers_are_translated(client):
    shop = by_slug(client.get("/api/categories?lang=ar"))["empty_shop"]
    ground_floor = next(a for a in shop["attributes"] if a["code"] == "ground_floor")
    assert ground_floor["label"] == "في الطابق الأرضي؟"
    assert {v["key"]: v["label"] for v in ground_floor["values"]}["yes"] == "نعم"


def test_english_labels_match_the_stored_english(client):
    for category in by_slug(client.get("/api/categories?lang=en")).values():
        assert category["label"] == category["label_en"]
        for attribute in category.get("attributes") or []:
            assert attribute["label"] == attribute["label_en"]
            assert [v["label"] for v in attribute["values"]] == [v["label_en"] for v in attribute["values"]]


def test_german_label_is_the_stored_one(client):
    for category in by_slug(client.get("/api/categories")).values():
        assert category["label"] == category["label_de"]


def test_error_messages_in_english(client):
    response = client.post("/api/findings?lang=en", json=finding_payload(lat="north", description="x" * 2001))
    assert response.status_code == 422
    body = response.get_json()
    assert body["message"] == "Some fields are not valid."
    assert body["fields"]["lat"] == "Must be a number."
    assert body["fields"]["description"] == "At most 2000 characters."


def test_error_messages_follow_the_cookie_and_default_to_german(client):
    german = client.post("/api/findings", json=finding_payload(lat=None, lon=None)).get_json()
    assert german["message"] == "Einige Angaben sind nicht gültig."
    assert "lat" in german["fields"] and "lon" in german["fields"]
    client.get("/?lang=tr")
    turkish = client.post("/api/findings", json=finding_payload(lat=95)).get_json()
    assert turkish["fields"]["lat"] == "En fazla 90 olabilir."


def test_query_parameter_errors_are_translated(client):
    body = client.get("/api/findings?bbox=1,2,3&limit=0", headers={"Accept-Language": "en"}).get_json()
    assert body["fields"]["bbox"] == "Please give 4 finite numbers."
    assert body["fields"]["limit"] == "Must be between 1 and 10000."
