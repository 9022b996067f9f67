"""A small checker of GeoReport v2 documents: required keys and their types, in JSON and XML."""
import xml.etree.ElementTree as ET

STR, NUM, BOOL, LIST = str, (int, float), bool, list
OPT_STR = (str, type(None))

SERVICE = {"service_code": STR, "service_name": STR, "description": OPT_STR, "metadata": BOOL,
           "type": STR, "keywords": OPT_STR, "group": OPT_STR}
ATTRIBUTE = {"variable": BOOL, "code": STR, "datatype": STR, "required": BOOL,
             "datatype_description": OPT_STR, "order": int, "description": STR, "values": LIST}
REQUEST = {"service_request_id": STR, "status": STR, "status_notes": OPT_STR, "service_name": STR,
           "service_code": STR, "description": OPT_STR, "agency_responsible": OPT_STR,
           "requested_datetime": STR, "updated_datetime": OPT_STR, "expected_datetime": OPT_STR,
           "address": OPT_STR, "lat": NUM, "long": NUM, "media_url": OPT_STR}
DATATYPES = {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}


def check(obj: dict, shape: dict) -> None:
    missing = shape.keys() - obj.keys()
    assert not missing, f"missing keys {missing} in {obj}"
    for key, kind in shape.items():
        assert isinstance(obj[key], kind), f"{key}={obj[key]!r} is not {kind}"


def check_xml(element: ET.Element, shape: dict) -> None:
    tags = {child.tag for child in element}
    missing = shape.keys() - tags
    assert not missing, f"missing elements {missing} in <{element.tag}>"
    for key, kind in shape.items():
        value = element.find(key).text
        if kind is BOOL:
            assert value in ("true", "false"), f"{key}={value!r}"
        elif kind in (NUM, int):
            float(value)
        elif kind is STR:
            assert value, f"<{key}> is empty"


def check_service_definition(body: dict) -> None:
    assert isinstance(body["service_code"], str)
    for attribute in body["attributes"]:
        check(attribute, ATTRIBUTE)
        assert attribute["datatype"] in DATATYPES
        for value in attribute["values"]:
            assert isinstance(value["key"], str) and isinstance(value["name"], str)
