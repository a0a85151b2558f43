"""Compile a .po catalogue to .mo without GNU gettext: `python -m baton.lib.msgfmt in out`."""

import sys

import polib


def main(argv: list[str]) -> int:
    source, target = argv
    polib.pofile(source).save_as_mofile(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
