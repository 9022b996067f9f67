"""The browser fixtures of tests/browser for the results pages' browser tests."""
from tests.browser.conftest import browser, checked_page, live_server  # noqa: F401  (fixtures, and their helper)
