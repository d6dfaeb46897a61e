"""What tests call with arguments: media and photo factories, builders for the API, the publisher and
the browser, analytics seeders. Fixtures are not here: they live in the `conftest.py` of the folder
that needs them (the root one for those several folders share), and fake servers live in `tests/fakes/`.
"""
