"""Command names in one place: the menu Telegram shows, and the lists /help and the docs test
check against."""

# Shown in Telegram's command menu, in this order (descriptions are texts "menu_<name>").
MENU_COMMANDS = (
    "topics", "digest", "latest", "cari", "top", "setelan", "schedule", "timezone", "language",
    "pause", "resume", "help", "stop",
)
SUBSCRIBER_COMMANDS = (
    "start", "help", "stop", "topics", "subscribe", "unsubscribe", "digest", "latest",
    "schedule", "timezone", "language", "pause", "resume", "channel", "setelan", "wilayah",
    "cari", "pantau", "lepas", "segera", "senyap", "top",
)
ADMIN_COMMANDS = (
    "addfeed", "addsite", "removefeed", "feeds", "addtopic", "deltopic", "topic", "testtopic",
    "retag", "importopml", "exportopml", "pollnow", "stats", "region", "topicname", "feedname",
)
