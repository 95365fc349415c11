"""English texts, for subscribers who choose /language en. Same keys as the Indonesian ones."""

TEXTS = {
    "start": (
        "Hello, and welcome to <b>Warta</b>! 👋\n\n"
        "Warta brings you a digest of news from East Kalimantan and beyond, right here in "
        "Telegram: only the topics you choose, only at the times you set.\n\n"
        "Pick your topics with /topics. Digests arrive every day at {times} ({timezone}); "
        "change the times with /schedule.\nSee /help for every command."
    ),
    "welcome_back": "Welcome back! Your scheduled digests are on again.",
    "start_again": (
        "Warta is already active in this chat. Your topics: {topics}.\n"
        "Digests arrive at {times} ({timezone}). See /help for more commands."
    ),
    "help": (
        "<b>Warta commands</b>\n"
        "/topics: choose the topics you follow\n"
        "/subscribe &lt;topic&gt;: follow topics, e.g. <code>/subscribe kaltim education</code>\n"
        "/unsubscribe &lt;topic&gt;: stop following topics\n"
        "/digest: send me the new items now\n"
        "/latest [topic]: the 10 newest items\n"
        "/schedule [HH:MM,…|off]: show or set digest times, e.g. "
        "<code>/schedule 07:00,19:00</code>\n"
        "/timezone &lt;Area/City&gt;: set your timezone, e.g. <code>/timezone Asia/Makassar</code>\n"
        "/language id|en: change the language\n"
        "/pause: pause scheduled digests\n"
        "/resume: resume scheduled digests\n"
        "/stop: stop and delete everything stored about you\n"
        "/channel @name: set Warta up in a channel you run\n"
        "/help: this list"
    ),
    "help_admin": (
        "\n\n<b>Admins only</b>\n"
        "/addfeed &lt;url&gt;: add an RSS/Atom feed\n"
        "/removefeed &lt;id&gt;: remove a feed\n"
        "/feeds: feeds and their health\n"
        "/addtopic &lt;slug&gt; &lt;name&gt;: create a topic\n"
        "/deltopic &lt;slug&gt;: delete a topic\n"
        "/topic &lt;slug&gt; [include|require|exclude|remove &lt;term&gt;, …]: show or edit a "
        "topic's rule\n"
        "/testtopic &lt;text&gt;: test a text against the topic rules\n"
        "/retag [days]: apply the current rules to stored items\n"
        "/importopml: import feeds from an OPML file\n"
        "/exportopml: download the feed list as an OPML file\n"
        "/pollnow: poll every feed now\n"
        "/stats: Warta's figures"
    ),
    "unknown_command": "Sorry, I don't know that command. Type /help to see what I can do.",
    "error": "Sorry, something went wrong while handling that. Please try again in a moment.",
    "topics_header": (
        "<b>Choose your topics</b>\nTap a topic to follow or unfollow it. "
        "Topics you follow are marked ✅."
    ),
    "topics_empty": "There are no topics yet. An admin can create them with /addtopic.",
    "subscribe_usage": (
        "Name the topics, e.g. <code>/subscribe kaltim education</code>.\n"
        "Available topics: {topics}."
    ),
    "unsubscribe_usage": (
        "Name the topics to drop, e.g. <code>/unsubscribe investment</code>.\n"
        "Your topics: {topics}."
    ),
    "unknown_topics": "No topic called {names}. Available topics: {topics}.",
    "subscribed": "Done! You now follow: {topics}.",
    "unsubscribed": "OK, you no longer follow: {topics}. Your topics now: {current}.",
    "no_topics": "none yet",
    "need_topics": "You don't follow any topic yet. Pick some with /topics.",
    "digest_later": (
        "Sorry, Telegram is having trouble and your digest has not gone out yet. It is kept "
        "and will be sent automatically as soon as Telegram recovers."
    ),
    "no_new_items": "No new items on your topics since your last digest.",
    "latest_header": "<b>The 10 newest items: {scope}</b>",
    "latest_all": "your topics",
    "latest_none": "No stored items for {scope} yet.",
    "latest_usage": "Use <code>/latest</code> or <code>/latest &lt;topic&gt;</code>.",
    "digest_header": "<b>📰 Warta digest</b>\n{date}, {time} {zone}",
    "digest_continued": "(continued)",
    "schedule_show": "Digests arrive every day at {times} ({timezone}).{paused}",
    "schedule_show_off": "Scheduled digests are off. Turn them on with, e.g., "
    "<code>/schedule 07:00</code>.",
    "schedule_paused_note": "\nThey are paused right now; type /resume to continue.",
    "schedule_set": "Schedule updated: digests arrive every day at {times} ({timezone}).",
    "schedule_off": "Scheduled digests are off. You can still ask for one with /digest.",
    "schedule_usage": (
        "I couldn't read those times. Examples: <code>/schedule 07:00</code>, "
        "<code>/schedule 06:30,12:00,19:00</code> or <code>/schedule off</code>."
    ),
    "schedule_too_many": "At most {limit} digest times a day.",
    "timezone_show": (
        "Your timezone: {timezone}. Change it with, e.g., <code>/timezone Asia/Jakarta</code> "
        "(WIB), <code>Asia/Makassar</code> (WITA) or <code>Asia/Jayapura</code> (WIT)."
    ),
    "timezone_set": "Timezone set to {timezone}. It is {now} there now.",
    "timezone_invalid": (
        "I don't know the timezone {name}. Use a name such as <code>Asia/Makassar</code> (WITA), "
        "<code>Asia/Jakarta</code> (WIB) or <code>Europe/London</code>."
    ),
    "language_usage": "Choose a language: <code>/language id</code> (Indonesia) or "
    "<code>/language en</code> (English).",
    "language_set": "OK, Warta now speaks English.",
    "paused": "Scheduled digests are paused. Your topics are kept; type /resume to continue.",
    "already_paused": "Scheduled digests are already paused. Type /resume to continue.",
    "resumed": "Scheduled digests are back on, at {times} ({timezone}).",
    "not_paused": "Scheduled digests are already on, at {times} ({timezone}).",
    "stopped": (
        "Warta will stop sending you news. Everything stored about this chat (topics, schedule, "
        "delivery history) has been deleted. Type /start any time to begin again."
    ),
    "no_args": "{command} takes no arguments. Just type {command}.",
    "admin_only": "Sorry, this command is for Warta's admins only.",
    "addfeed_usage": "Give the feed's address, e.g. "
    "<code>/addfeed https://kaltim.antaranews.com/rss/terkini.xml</code>.",
    "addfeed_checking": "Checking {url} …",
    "addfeed_ok": "Feed added (id {id}): <b>{title}</b>\n{count} items found and stored.",
    "addfeed_failed": "Feed not added. {url}\nReason: {reason}",
    "addfeed_duplicate": "That feed is already listed with id {id}: {title}.",
    "removefeed_usage": (
        "Give the feed id, e.g. <code>/removefeed 3</code>. See the ids in /feeds."
    ),
    "removefeed_ok": "Feed {id} ({title}) and its items have been removed.",
    "removefeed_missing": "There is no feed with id {id}. See the list in /feeds.",
    "feeds_empty": "No feeds yet. Add one with /addfeed &lt;url&gt;.",
    "feeds_header": "<b>Feeds</b> ({count})",
    "feed_line": (
        "<b>{id}. {title}</b> · {state}\n{url}\nLast success: {success} · "
        "Items: {items} ({recent} in 7 days)\nLast error: {error}"
    ),
    "never": "never",
    "none": "none",
    "addtopic_usage": (
        "Format: <code>/addtopic &lt;slug&gt; &lt;display name&gt;</code>, e.g. "
        "<code>/addtopic health Health</code>."
    ),
    "addtopic_ok": (
        "Topic <b>{name}</b> ({slug}) created. Add its terms with "
        "<code>/topic {slug} include term1, term2</code>."
    ),
    "addtopic_exists": "A topic with the slug {slug} already exists.",
    "deltopic_usage": "Format: <code>/deltopic &lt;slug&gt;</code>.",
    "deltopic_ok": "Topic {slug} deleted, with its subscriptions and its tags on items.",
    "topic_usage": (
        "Format: <code>/topic &lt;slug&gt;</code> to see the rule, or "
        "<code>/topic &lt;slug&gt; include|require|exclude|remove term1, term2</code>."
    ),
    "topic_rule": (
        "<b>{name}</b> ({slug})\n"
        "include: {include}\nrequire: {require}\nexclude: {exclude}\n\n"
        "Matches when any include term occurs{require_note}, and no exclude term occurs."
    ),
    "topic_require_note": ", one of the require terms occurs too",
    "topic_updated": "Rule of {slug} updated.",
    "topic_unknown_terms": "These terms are not in the rule of {slug}: {terms}.",
    "testtopic_usage": "Format: <code>/testtopic &lt;text&gt;</code>, e.g. "
    "<code>/testtopic Pemprov Kaltim teken MoU beasiswa dengan Jepang</code>.",
    "testtopic_none": "This text matches no topic.",
    "testtopic_header": "<b>Topic test</b>",
    "testtopic_match": "✅ {name} ({slug}): {terms}",
    "testtopic_miss": "▫️ {name} ({slug}): {why}",
    "why_no_include": "no include term",
    "why_no_require": "include matched ({terms}) but no require term",
    "why_excluded": "excluded by {terms}",
    "pollnow_started": "Polling every feed…",
    "pollnow_done": "Done: {feeds} feeds polled, {new} new items, {errors} failed.{details}",
    "stats": (
        "<b>Warta figures</b>\n"
        "Subscribers: {subscribers} ({active} active, {paused} paused)\n"
        "Feeds: {feeds} · Items stored: {items}\n\n"
        "<b>Items per topic, last 7 days</b>\n{topics}"
    ),
    "menu_topics": "Choose news topics",
    "menu_digest": "Send my digest now",
    "menu_latest": "The 10 newest items",
    "menu_schedule": "Set digest times",
    "menu_timezone": "Set timezone",
    "menu_language": "Change language",
    "menu_pause": "Pause scheduled digests",
    "menu_resume": "Resume scheduled digests",
    "menu_help": "All commands",
    "menu_stop": "Stop and delete my data",
    "fail_http": "the server answered with HTTP status {status}.",
    "fail_timeout": "the server did not answer in time.",
    "fail_refused": (
        "this address is refused ({detail}). Only public http/https addresses are "
        "allowed."
    ),
    "fail_too_large": "the feed is larger than the 5 MB limit.",
    "fail_network": "could not connect to the server ({detail}).",
    "fail_not_feed": "this address is not an RSS or Atom feed ({detail}).",
    "fail_gone": "the server says this feed is gone for good (HTTP 410).",
    "fail_bad_response": "the server's answer cannot be read ({detail}).",
    "fail_cpu_budget": "the feed is too heavy to process (over the {detail}-second CPU-time limit).",
    "fail_worker_died": (
        "the process preparing this feed stopped abruptly (out of memory or a crash)."
    ),
    "topic_effect": "Effect on the last 7 days of items: +{gained} items, −{lost} items.",
    "topic_effect_retag": (
        "The rule applies to items stored from now on; type /retag to apply it to stored "
        "items too."
    ),
    "retag_usage": (
        "Format: <code>/retag</code> or <code>/retag &lt;days&gt;</code> (1 to 90), e.g. "
        "<code>/retag 14</code>."
    ),
    "retag_done": "The items of the last {days} days were re-tagged with the current rules.",
    "retag_line": "{name}: +{gained}, −{lost}",
    "retag_nothing": "Nothing changed.",
    "feed_alert_failing": (
        "⚠️ Feed {id} ({title}) has been failing for more than a day.\n{url}\nError: {error}"
    ),
    "feed_alert_recovered": "✅ Feed {id} ({title}) works again.\n{url}",
    "feed_alert_disabled": "⛔ Feed {id} ({title}) was disabled: {error}\n{url}",
    "feed_ok": "✅ ok",
    "feed_failing": "⚠️ failing since {since}",
    "feed_disabled": "⛔ disabled",
    "importopml_usage": (
        "Send an OPML file with the caption <code>/importopml</code>, or reply to an OPML"
        " file with <code>/importopml</code>."
    ),
    "importopml_too_large": "The OPML file is too large (1 MB at most).",
    "importopml_bad_file": "That file is not an OPML document I can read.",
    "importopml_started": "Checking {count} feeds from the OPML file…",
    "importopml_done": (
        "Import done: {added} added, {duplicate} already listed, {failed} "
        "failed.{details}"
    ),
    "exportopml_caption": "Warta's {count} feeds (OPML).",
    "digest_also": "Also reported by:",
    "stats_no_run": "No scheduled digest run yet.",
    "stats_last_run": (
        "<b>Last scheduled run</b> ({when})\n"
        "Due: {due} chats · sent: {sent} · nothing new: {empty} · failed: {failed}{reasons}\n"
    ),
    "stats_run_pace": "{messages} messages in {seconds} s ({rate} messages/s)",
    "stats_run_quick": "{messages} messages in under 1 s",
    "reason_blocked": "blocked",
    "reason_error": "errors",
    "reason_later": "postponed",
    "reason_rejected": "refused by Telegram",
    "reason_expired": "expired",
    "stats_run_dropped": "\nDigest times missed while down and not caught up: {dropped} chats",
    "stats_run_waiting": "\nMessages still waiting in the outbox (to be retried): {waiting}",
    "group_admins_only": "In a group, only the group's admins can change Warta's settings.",
    "rule_slug": (
        "The slug {slug} cannot be used: use 2 to 32 lower-case letters, digits or "
        "underscores, e.g. <code>health</code> or <code>kerja_sama</code>."
    ),
    "rule_no_terms": (
        "No terms given. Separate terms with commas, e.g. <code>beasiswa, guru</code>."
    ),
    "rule_empty_term": (
        "Term {position} is empty (two commas in a row?)."
    ),
    "rule_too_long": (
        "The term {term}… is longer than {limit} characters."
    ),
    "rule_star_inside": (
        "In {term}, * may only end a term, e.g. <code>investasi*</code>."
    ),
    "rule_star_after_list": (
        "In {term}, * must follow a word, not a list."
    ),
    "rule_short_stem": (
        "The stem {term} is too short: at least {limit} letters before *."
    ),
    "rule_bad_list_name": (
        "{term} is not a valid list name."
    ),
    "rule_unknown_list": (
        "There is no list {term}. Known lists: {lists}."
    ),
    "rule_two_lists": (
        "{term} refers to more than one list; use one list per term."
    ),
    "rule_no_letters": (
        "The term {term} has no letters or digits."
    ),
    "channel_private_only": (
        "Channels are set up in a private chat with Warta. Please send me "
        "<code>/channel @channelname</code> privately."
    ),
    "channel_usage": (
        "<b>Setting up Warta in your channel</b>\n"
        "1. Make Warta an admin of the channel, allowed to post messages.\n"
        "2. In this chat, send <code>/channel @channelname</code>.\n\n"
        "Then set the channel up with:\n"
        "<code>/channel @channelname topics kaltim, education</code>\n"
        "<code>/channel @channelname schedule 07:00, 19:00</code>\n"
        "<code>/channel @channelname timezone WITA</code>\n"
        "<code>/channel @channelname language en</code>\n"
        "<code>/channel @channelname digest</code>: send a digest now\n"
        "<code>/channel @channelname pause</code> or <code>resume</code>\n"
        "<code>/channel @channelname stop</code>: stop Warta in that channel"
    ),
    "channel_not_found": (
        "Channel {name} was not found, or Warta is not in it yet. Add Warta as an admin of the "
        "channel, then try again."
    ),
    "channel_not_channel": (
        "{name} is not a channel. For a group, add Warta to the group and set it up there."
    ),
    "channel_bot_not_admin": (
        "Warta cannot post in {name} yet. Make Warta an admin of the channel, allowed to post "
        "messages, then try again."
    ),
    "channel_admins_only": "Sorry, only admins of {name} can set Warta up there.",
    "channel_settings": (
        "<b>Warta in channel {name}</b>\n"
        "Topics: {topics}\n"
        "Schedule: every day at {times} ({timezone})\n"
        "Digest language: {language}\n"
        "State: {state}\n\n"
        "Send /channel to see how to change these."
    ),
    "channel_active": "active",
    "channel_paused": "paused",
    "channel_stopped": "Warta will no longer post digests in {name}; its settings are deleted.",
    "channel_usage_topics": (
        "Name the topics, e.g. <code>/channel @channelname topics kaltim, education</code>."
    ),
    "channel_usage_schedule": (
        "Write times as HH:MM, e.g. <code>/channel @channelname schedule 07:00, 19:00</code>, or "
        "<code>schedule off</code> to stop scheduled digests."
    ),
    "channel_usage_timezone": (
        "Name the timezone: WIB, WITA, WIT, or a name like Asia/Makassar, e.g. "
        "<code>/channel @channelname timezone WITA</code>."
    ),
    "channel_usage_language": (
        "Choose <code>id</code> (Indonesian) or <code>en</code> (English), e.g. "
        "<code>/channel @channelname language en</code>."
    ),
    "channel_digest_sent": "The digest went out to {name}.",
    "channel_no_news": "Nothing new for {name} since its last digest.",
    "language_name_id": "Indonesian",
    "language_name_en": "English",
    "channel_digest_failed": (
        "The digest for {name} did not go out. Check that Warta is still an admin there; if "
        "Telegram is having trouble, it will be sent again automatically."
    ),
}
