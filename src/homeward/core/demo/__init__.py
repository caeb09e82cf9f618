"""The synthetic demo data set behind `homeward seed_demo`.

- `names`: name pools per nationality (with the Arabic an Iraqi register writes) and the
  transliteration between scripts; every person is a random combination, nobody is real.
- `builder`: `build_plan(rng, n)` turns a seed into a `Plan`, pure data, reproducing Iraq's
  published return figures (473 by 15 July 2019, 537, 598, 828, 940; see its docstring).
- `writer`: `write_plan(plan, users)` writes the plan through the services, audit included.
- `accounts`: the demo agencies and accounts, one per standard role and one consul per state.
"""
