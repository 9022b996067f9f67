"""The helpers every ``mapapp`` command group shares (mapapp/cli/helpers.py), and that they do share them."""
import ast
from pathlib import Path

import click
import pytest

from mapapp.cli.helpers import account_named, by_id_or_name, echo_lines, refused, resolve
from mapapp.errors import NotFound, ValidationFailed
from tests.factories import make_user

MAPAPP = Path(__file__).resolve().parents[2] / "mapapp"
COMMAND_MODULES = ["auth/cli.py", "review/cli.py", "open311/cli.py", "open311/city/cli.py"]


def test_a_refusal_is_one_line_naming_the_fields():
    with pytest.raises(click.ClickException) as caught, refused():
        raise ValidationFailed("The team cannot be saved.", {"name": "a name is required", "categories": "none"})
    assert caught.value.message == "The team cannot be saved. (name: a name is required; categories: none)"
    with pytest.raises(click.ClickException) as caught, refused():
        raise NotFound("There is no key 7.")
    assert caught.value.message == "There is no key 7."


def test_other_errors_pass_through_refused():
    with pytest.raises(KeyError), refused():
        raise KeyError("not a refusal")


def test_echo_lines_prints_each_line_or_the_hint(capsys):
    echo_lines([], str, "nothing yet: create one")
    echo_lines([1, 2], lambda n: f"row {n}   ")
    echo_lines([], str)
    assert capsys.readouterr().out == "nothing yet: create one\nrow 1\nrow 2\n"


def test_by_id_or_name():
    items = [{"id": 1, "name": "Stadt"}, {"id": 2, "name": "Kreis"}]
    assert by_id_or_name(items, "2") == [items[1]]
    assert by_id_or_name(items, "Stadt") == [items[0]]
    assert by_id_or_name(items, None) == items
    assert by_id_or_name(items, "3") == []


def test_an_account_is_found_by_name_or_named_as_missing(app, session):
    user = make_user(session, "maria")
    assert account_named(session, "Maria").id == user.id
    assert resolve(session, "maria").name == "cli:maria"
    with pytest.raises(click.ClickException, match="no account 'nobody' for --as"):
        resolve(session, "nobody")
    with pytest.raises(click.ClickException, match=r"no account 'nobody' \(see `mapapp users list`\)"):
        account_named(session, "Nobody")


@pytest.mark.parametrize("module", COMMAND_MODULES)
def test_command_groups_use_the_shared_helpers_not_their_own(module):
    """No group turns refusals into messages or looks up accounts by itself (they did, four times over)."""
    source = (MAPAPP / module).read_text()
    tree = ast.parse(source)
    handlers = [node for node in ast.walk(tree) if isinstance(node, ast.ExceptHandler)]
    assert handlers == [], f"{module} catches exceptions itself: use cli_helpers.refused"
    assert "find_user(" not in source, f"{module} looks up accounts itself: use cli_helpers.account_named"
    assert "from mapapp.cli.helpers import" in source
