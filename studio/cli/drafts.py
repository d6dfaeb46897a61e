def register(subparsers) -> None:
    subparsers.add_parser("drafts", help="list, show, review, schedule and edit drafts (scripted review)")
