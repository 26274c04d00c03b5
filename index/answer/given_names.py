"""Given names, to tell a person named untitled ("The winner was Ruth Okonjo") from other runs of
capitals: the first names Faker keeps for each of its locales (86 of them, Latin and other
scripts; MIT licence), read once."""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

_FIRST_NAME_LISTS = ("first_names", "first_names_male", "first_names_female")


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Every given name of Faker's person providers, as written ("Priya", "Tomasz", "Kwame")."""
    import faker.providers.person as providers  # 0.2 s, once: only when a person is asked

    found: set[str] = set()
    for module in pkgutil.iter_modules(providers.__path__):
        provider = importlib.import_module(f"{providers.__name__}.{module.name}").Provider
        for attribute in _FIRST_NAME_LISTS:
            names = next(
                (k.__dict__[attribute] for k in provider.__mro__ if attribute in k.__dict__), ()
            )
            if isinstance(names, dict | list | tuple | set | frozenset):
                found.update(name for name in names if isinstance(name, str) and name.isalpha())
    return frozenset(found)
