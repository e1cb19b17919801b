"""`python -m labs.images [NAME...] [--rebuild] [--status]`: provision images, or list their state."""

from __future__ import annotations

import argparse
import sys

from . import LabsImageError, provision, status


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m labs.images",
                                     description="이미지를 받거나 대체 이미지를 만듭니다 (pull or build lab images)")
    parser.add_argument("names", nargs="*", help="이미지 이름; 없으면 전부 (image names; all when omitted)")
    parser.add_argument("--rebuild", action="store_true", help="대체 이미지를 다시 만듭니다 (rebuild stand-ins)")
    parser.add_argument("--status", action="store_true", help="상태만 보여 줍니다 (show state only)")
    args = parser.parse_args(argv)
    try:
        if args.status:
            for row in status(args.names or None):
                size = "-" if row.size_bytes is None else f"{row.size_bytes / 1e6:.1f} MB"
                print(f"{row.name:22} {row.origin:9} {size:>10}")
            return 0
        for result in provision(args.names or None, rebuild=args.rebuild):
            print(f"{result.name:22} {result.origin:9} {result.action:8} {result.seconds:6.1f} s")
    except LabsImageError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
