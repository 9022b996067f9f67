"""i18n fixtures: the compiled catalogues."""
import pytest

from mapapp.i18n.cli import TRANSLATIONS_DIR, compile_catalogues


def _stale() -> bool:
    for po in TRANSLATIONS_DIR.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            return True
    return False


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues():
    """The app reads .mo files that the build compiles; compile them here too when missing or stale."""
    if _stale():
        compile_catalogues()
