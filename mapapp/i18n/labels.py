"""German labels of the categories and their questions, listed for the catalogues.

The labels live in the database (seeded by migrations/versions/0001 and 0002) with
``label_de`` as the msgid; ``mapapp.i18n.category_label`` translates them. Extraction only
finds literal strings, so every German label is listed here: a migration that adds a
category, question or answer adds its German label here too (tests/i18n checks that every
label in the database is listed).
"""
from mapapp.statuses import N_

LABELS = (
    # categories (0001_initial)
    N_("Radweg kaputt oder unsicher"),  # cycle_path
    N_("Lärm"),  # noise
    N_("Leeres Ladenlokal"),  # empty_shop
    N_("Angebot für Kinder und Jugendliche fehlt oder ist kaputt"),  # youth_offer
    N_("Müll und Schmutz"),  # litter
    N_("Beleuchtung"),  # lighting
    N_("Barriere"),  # barrier
    N_("Nutzung des öffentlichen Raums"),  # public_space
    N_("Sonstiges"),  # other
    # category questions and their answers (0002_walk_capture)
    N_("Im Erdgeschoss?"),  # empty_shop.ground_floor
    N_("Ja"),  # empty_shop.ground_floor=yes
    N_("Nein"),  # empty_shop.ground_floor=no
    N_("Weiß nicht"),  # empty_shop.ground_floor=unknown
    N_("Leer seit"),  # empty_shop.empty_since
    N_("weniger als 6 Monaten"),  # empty_shop.empty_since=lt_6_months
    N_("6 bis 12 Monaten"),  # empty_shop.empty_since=6_12_months
    N_("mehr als einem Jahr"),  # empty_shop.empty_since=gt_1_year
    N_("weiß nicht"),  # empty_shop.empty_since=unknown
    N_("Was ist kaputt?"),  # cycle_path.damage
    N_("Schlaglöcher"),  # cycle_path.damage=potholes
    N_("Wurzelaufbrüche"),  # cycle_path.damage=roots
    N_("Radweg endet plötzlich"),  # cycle_path.damage=ends_abruptly
    N_("zu schmal"),  # cycle_path.damage=too_narrow
    N_("zugeparkt oder blockiert"),  # cycle_path.damage=blocked
    N_("Markierung fehlt"),  # cycle_path.damage=markings
    N_("Wann ist es laut?"),  # noise.when
    N_("tagsüber"),  # noise.when=day
    N_("abends"),  # noise.when=evening
    N_("nachts"),  # noise.when=night
    N_("immer"),  # noise.when=always
    N_("Für wen?"),  # youth_offer.age_group
    N_("Kinder unter 6"),  # youth_offer.age_group=under_6
    N_("Kinder 6–12"),  # youth_offer.age_group=6_12
    N_("Jugendliche 13–17"),  # youth_offer.age_group=13_17
)
