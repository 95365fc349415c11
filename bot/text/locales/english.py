"""English texts, for subscribers who choose /language en. Same keys as the Indonesian ones."""

TEXTS = {
    "start": (
        "Hello, and welcome to <b>Warta</b>! 👋\n\n"
        "Warta brings you a digest of news from East Kalimantan and beyond, right here in "
        "Telegram: only the topics you choose, at the times you set.\n\n"
        "Tap the topics you want to follow, then tap <b>Done</b>."
    ),
    "welcome_back": "Welcome back! Your scheduled digests are on again.",
    "start_again": (
        "Warta is already active in this chat. Your topics: {topics}.\n"
        "Digests arrive at {times} {timezone}. See /help for more commands."
    ),
    "help": (
        "<b>News</b>\n"
        "/digest – send me the new items now\n"
        "/latest – the newest items of your topics; /latest education for one topic, "
        "/latest education 2 for the next page\n"
        "/top – the stories most outlets reported in the last 24 hours\n"
        "/cari investasi* topic:kaltim – search past news (phrases in quotes)\n\n"
        "<b>Urgent news</b>\n"
        "/pantau banjir samarinda – items with those words at once (/pantau alone lists them)\n"
        "/lepas banjir samarinda – remove watch words\n"
        "/segera kaltim – a topic's items at once, not only in the digest\n"
        "/senyap 22:00-05:00 – hours without urgent items (/senyap off to switch off)\n\n"
        "<b>Settings</b>\n"
        "/topics – choose the topics you follow\n"
        "/subscribe kaltim education – follow topics by typing their names\n"
        "/unsubscribe investment – stop following a topic\n"
        "/wilayah – your other topics show only news from your regions (e.g. East Kalimantan)\n"
        "/setelan – how many stories per topic in each digest (3, 5, 10 or all)\n"
        "/schedule 07:00,19:00 – set the digest times; /schedule 07:00 senin-jumat for some "
        "days, /schedule mingguan senin 07:00 for a weekly digest (/schedule off to turn them "
        "off)\n"
        "/timezone WITA – your timezone (WIB/WITA/WIT)\n"
        "/language id – Bahasa Indonesia\n"
        "/pause – take a break from scheduled digests; /resume – continue\n\n"
        "<b>More</b>\n"
        "/channel @name – set Warta up in a channel you run\n"
        "/stop – stop and delete everything stored about you\n"
        "/help – this list"
    ),
    "help_admin": (
        "\n\n<b>Admins only</b>\n"
        "/addfeed https://… – add an RSS/Atom feed, or a news site's page\n"
        "/addsite kaltimtoday.co – follow a news site by its feed or news sitemap, or "
        "through Google News\n"
        "/removefeed 3 – remove a feed (ids in /feeds)\n"
        "/feeds – feeds and their health\n"
        "/feedname 3 Tribun Kaltim – the outlet name shown with a feed's items\n"
        "/addtopic health Health – create a topic\n"
        "/deltopic health – delete a topic\n"
        "/topic health – show a topic's rule; /topic health include rumah sakit, puskesmas – "
        "edit it with terms as the news writes them, in Indonesian (include, require, "
        "exclude, remove)\n"
        "/region samarinda – make that topic a region (/region samarinda off to undo)\n"
        "/topicname education Education – a topic's English name\n"
        "/testtopic some news text – test a text against the topic rules\n"
        "/retag 14 – apply the current rules to the last 14 days of items\n"
        "/importopml – import feeds from an OPML file; /exportopml – download the feed list\n"
        "/pollnow – poll every feed now\n"
        "/stats – Warta's figures"
    ),
    "unknown_command": "Sorry, Warta doesn't know that command. Type /help to see the commands.",
    "error": "Sorry, something went wrong while handling that. Please try again in a moment.",
    "busy_try_again": (
        "Sorry, Warta is busy saving other data and could not record that just now. Please "
        "send it again in a minute."
    ),
    "outage_over": (
        "⚠️ Telegram could not be reached for about {minutes}. Digests and alerts were held "
        "meanwhile. Sending has resumed; waiting to go out now: {waiting}."
    ),
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
    "latest_header": "<b>The newest {count}: {scope}</b>",
    "latest_page": " <i>(page {page})</i>",
    "latest_next": "<i>Older news: {command}</i>",
    "latest_all": "your topics",
    "latest_none": "No news for {scope} yet.",
    "latest_usage": "Use <code>/latest</code> or <code>/latest &lt;topic&gt;</code>.",
    "digest_header": "<b>📰 Warta digest</b> · {date} · {time} {zone} · {stories} from {outlets}",
    "digest_continued": "(continued)",
    "schedule_show": "Digests arrive every day at {times} {timezone}.{paused}",
    "schedule_show_off": "Scheduled digests are off. Turn them on with, e.g., "
    "<code>/schedule 07:00</code>.",
    "schedule_paused_note": "\nThey are paused right now; type /resume to continue.",
    "schedule_set": "Schedule updated: digests arrive every day at {times} {timezone}.",
    "schedule_off": "Scheduled digests are off. You can still ask for one with /digest.",
    "schedule_usage": (
        "Warta couldn't read those times. Examples: <code>/schedule 07:00</code>, "
        "<code>/schedule 06:30,12:00,19:00</code> or <code>/schedule off</code>.\n"
        "Some days only: <code>/schedule 07:00 monday-friday, 19:00 saturday</code>. "
        "A weekly digest: <code>/schedule weekly monday 07:00</code>."
    ),
    "schedule_too_many": "At most {limit} digest times a day.",
    "timezone_show": (
        "Your timezone: {timezone}. To change it, type <code>/timezone WIB</code>, "
        "<code>/timezone WITA</code> or <code>/timezone WIT</code>, or a name such as "
        "<code>Europe/London</code>."
    ),
    "timezone_set": "Timezone set to {timezone} ({zone}). It is {now} {zone} now.",
    "timezone_invalid": (
        "Warta doesn't know the timezone {name}. Type <code>/timezone WITA</code>, "
        "<code>/timezone WIB</code> or <code>/timezone WIT</code>, or a name such as "
        "<code>Europe/London</code>."
    ),
    "timezone_usage": (
        "Type <code>/timezone WITA</code>, <code>/timezone WIB</code> or "
        "<code>/timezone WIT</code>, or a name such as <code>Asia/Makassar</code>."
    ),
    "language_usage": "Choose a language: <code>/language id</code> (Indonesia) or "
    "<code>/language en</code> (English).",
    "language_set": "OK, Warta now speaks English.",
    "paused": "Scheduled digests are paused. Your topics are kept; type /resume to continue.",
    "already_paused": "Scheduled digests are already paused. Type /resume to continue.",
    "resumed": "Scheduled digests are back on, at {times} {timezone}.",
    "not_paused": "Scheduled digests are already on, at {times} {timezone}.",
    "stopped": (
        "Warta will stop sending you news. Everything stored about this chat (topics, schedule, "
        "delivery history) has been deleted. Type /start any time to begin again."
    ),
    "no_args": "{command} takes no arguments. Just type {command}.",
    "admin_only": "Sorry, this command is for Warta's admins only.",
    "slow_down": (
        "Easy there: Warta got too many commands from this chat in a short time. Please try "
        "again in a moment."
    ),
    "command_too_long": "That command is too long for Warta. See /help for examples.",
    "cooldown": "{command} was just run. Please try again in {seconds} s.",
    "addfeed_usage": "Give the feed's address, e.g. "
    "<code>/addfeed https://kaltim.antaranews.com/rss/terkini.xml</code>.",
    "addfeed_checking": "Checking {url} …",
    "addfeed_ok": "Feed added (id {id}): <b>{title}</b>\nItems found and stored: {count}.",
    "addfeed_failed": "The feed {url} could not be added.\nReason: {reason}",
    "addsite_usage": (
        "Give a news site, e.g. <code>/addsite kaltimtoday.co</code>. Warta will look for the "
        "site's own RSS feed or news sitemap. If it has none, its stories are followed through "
        "a Google News search."
    ),
    "addsite_bad_domain": "{text} is not a site name. Write it like <code>/addsite niaga.asia</code>.",
    "addsite_ok": (
        "Done! {outlet} is now followed through Google News (feed {id}). {count} found and stored."
    ),
    "source_found": (
        "Done! {outlet} is now followed through the site's own {how} (feed {id}):\n"
        "{url}\n{count} found and stored."
    ),
    "source_moved": (
        "Done! Feed {id} ({outlet}) now follows the site's own {how}:\n"
        "{url}\n{count} found and stored."
    ),
    "source_none": (
        "Warta found no source of news on {site}: no RSS feed, no news sitemap, and no "
        "stories of this site on Google News. Nothing was added.{google}"
    ),
    "source_none_google": "\nGoogle News: {reason}",
    "addsite_still_google": (
        "{outlet} (feed {id}) stays followed through Google News: Warta found no RSS feed or "
        "news sitemap on {domain}."
    ),
    "kind_feed": "RSS feed",
    "kind_sitemap": "news sitemap",
    "kind_googlenews": "Google News",
    "addsite_failed": "The site {domain} could not be added.\nReason: {reason}",
    "addfeed_duplicate": "That feed is already listed with id {id}: {title}.",
    "removefeed_usage": (
        "Give the feed id, e.g. <code>/removefeed 3</code>. See the ids in /feeds."
    ),
    "removefeed_ok": "Feed {id} ({title}) and its items have been removed.",
    "removefeed_missing": "There is no feed with id {id}. See the list in /feeds.",
    "feeds_empty": "No feeds yet. Add one with /addfeed &lt;url&gt;.",
    "feeds_header": "<b>Feeds</b> ({count})",
    "feed_line": (
        "<b>{id}. {title}</b> · {state} · {kind}\n{url}\nLast success: {success} · "
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
        "Format: <code>/topic &lt;slug&gt;</code> to see the rule, "
        "<code>/topic &lt;slug&gt; include|require|exclude|remove term1, term2</code> to change "
        "its terms, or <code>/topic &lt;slug&gt; threshold 3</code> to change its threshold."
    ),
    "topic_rule": (
        "<b>{name}</b> ({slug})\n"
        "include: {include}\nrequire: {require}\nexclude: {exclude}\nthreshold: {threshold}\n\n"
        "Matches when the include terms found weigh at least {threshold} (in the headline 3, "
        "in the first sentence 2, later 1; each term once){require_note}, and no exclude term "
        "occurs."
    ),
    "topic_require_note": ", one of the require terms occurs too",
    "topic_frames": "Frames (change them with topics export/import):\n{frames}",
    "topic_frame_line": "• {name} ({effect}): {note}",
    "frame_effect_in": "adds evidence",
    "frame_effect_out": "takes terms out",
    "topic_words_header": "Words matched in the last 7 days of items:",
    "topic_word_count": "{word} ×{count}",
    "topic_words_line": "{term}: {words}",
    "topic_words_none": "{term}: nothing matched yet",
    "topic_words_flag": (
        "⚠️ '{term}' mostly matches '{other}' ×{count}: did you mean only '{typed}'? Write "
        "<code>{typed}</code> without ~ or * to match that word alone (and its -nya, -lah, "
        "-kah, -pun, -ku, -mu forms)."
    ),
    "topic_updated": "Rule of {slug} updated.",
    "topic_unknown_terms": "These terms are not in the rule of {slug}: {terms}.",
    "testtopic_usage": "Format: <code>/testtopic &lt;text&gt;</code>, e.g. "
    "<code>/testtopic Pemprov Kaltim teken MoU beasiswa dengan Jepang</code>.",
    "testtopic_none": "This text matches no topic.",
    "testtopic_header": "<b>Topic test</b>",
    "testtopic_match": "✅ {name} ({slug}): score {score}, threshold {threshold}\n    {evidence}",
    "testtopic_miss": "▫️ {name} ({slug}): {why}",
    "testtopic_miss_evidence": "▫️ {name} ({slug}): {why}\n    {evidence}",
    "testtopic_weights": (
        "\nThe first line is the headline, the rest the body. Weights: headline 3, first "
        "sentence 2, later 1 (2 in a sentence that gives an amount of money, echoes the "
        "headline or repeats the term); a dateline place or a place in a list of places 1. "
        "«…» is the word matched when it differs from the term."
    ),
    "why_below_threshold": "score {score}, below the threshold {threshold}",
    "where_title": "headline",
    "where_lead": "first sentence",
    "where_body": "body",
    "where_dateline": "dateline",
    "where_list": "list of places",
    "where_figure": "sentence with an amount",
    "where_venue": "venue of another province's story",
    "where_aside": "aside in a generic sentence",
    "where_elsewhere": "passing mention in another region's story",
    "where_echo": "body echoing the headline",
    "evidence_frame_in": "frame {name}",
    "evidence_frame_out": "not counted: frame {name}",
    "strength_3": "strong",
    "strength_2": "medium",
    "strength_1": "weak",
    "strength_0": "not counted",
    "evidence_require": "required",
    "evidence_exclude": "exclusion",
    "list_negara_asing": "foreign country or region",
    "list_wilayah_kaltim": "place in Kaltim",
    "why_no_include": "no include term",
    "why_no_require": "include matched ({terms}) but no require term",
    "why_excluded": "excluded by {terms}",
    "pollnow_started": (
        "Polling every feed… The result comes here when it is done. Other commands work meanwhile."
    ),
    "pollnow_running": (
        "A poll of every feed is already running. Its report comes here when it is done."
    ),
    "pollnow_done": "Done. Feeds polled: {feeds} · new items: {new} · failed: {errors}.{details}",
    "stats": (
        "<b>Warta figures</b>\n"
        "Subscribers: {subscribers} ({active} active, {paused} paused)\n"
        "Feeds: {feeds} · Items stored: {items}\n\n"
        "<b>Items per topic, last 7 days</b>\n{topics}"
    ),
    "menu_topics": "Choose news topics",
    "menu_digest": "Send my digest now",
    "menu_latest": "The newest items",
    "menu_setelan": "Stories per topic",
    "menu_cari": "Search past news",
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
        "this address is refused ({detail}). Only public http/https addresses are allowed."
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
    "topic_effect": "Effect on the last 7 days of items: +{gained}, −{lost}.",
    "topic_effect_retag": (
        "The rule applies to items stored from now on; type /retag to apply it to stored "
        "items too."
    ),
    "retag_usage": (
        "Format: <code>/retag</code> or <code>/retag &lt;days&gt;</code> (1 to 90), e.g. "
        "<code>/retag 14</code>."
    ),
    "retag_done": "The items of the last {days} were re-tagged with the current rules.",
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
    "importopml_too_many": (
        "That OPML file lists more than {limit} feeds. Please split it into several files."
    ),
    "importopml_bad_file": "That file is not an OPML document Warta can read.",
    "importopml_started": "Checking {count} from the OPML file…",
    "importopml_done": (
        "Import done: {added} added, {duplicate} already listed, {failed} failed.{details}"
    ),
    "exportopml_caption": "Warta's {count} (OPML).",
    "digest_also": "Also reported by:",
    "stats_upkeep": (
        "\nUp for {uptime} · Database: {size} MB\n"
        "Oldest item kept: {oldest} (items are kept {days})"
    ),
    "uptime_days": "{days} d {hours} h",
    "uptime_hours": "{hours} h {minutes} min",
    "uptime_minutes": "{minutes} min",
    "stats_chart_caption": (
        "Chart of the last {days} (per day, {zone}). Items per topic: {topics}. "
        "Digest messages delivered: {messages}."
    ),
    "stats_chart_failed": "The chart could not be drawn this time. The figures above stand.",
    "chart_items_title": "Items per topic per day, last {days}",
    "chart_items_axis": "Items",
    "chart_messages_title": "Digest messages delivered per day",
    "chart_messages_axis": "Messages",
    "chart_other": "Other",
    "stats_no_run": "No scheduled digest run yet.",
    "stats_last_run": (
        "<b>Last scheduled run</b> ({when})\n"
        "Due: {due} · sent: {sent} · nothing new: {empty} · failed: {failed}{reasons}\n"
    ),
    "stats_run_pace": "{messages} in {seconds} s ({rate} messages/s)",
    "stats_run_quick": "{messages} in under 1 s",
    "reason_blocked": "blocked",
    "reason_error": "errors",
    "reason_later": "postponed",
    "reason_rejected": "refused by Telegram",
    "reason_expired": "expired",
    "stats_run_dropped": "\nDigest times missed while down and not caught up: {dropped}",
    "stats_run_waiting": "\nMessages still waiting in the outbox (to be retried): {waiting}",
    "group_admins_only": "In a group, only the group's admins can change Warta's settings.",
    "rule_bad_threshold": (
        "The threshold must be a number from {low} to {high}, e.g. "
        "<code>/topic education threshold 3</code>; “{value}” is not."
    ),
    "rule_slug": (
        "The slug {slug} cannot be used: use 2 to 32 lower-case letters, digits or "
        "underscores, e.g. <code>health</code> or <code>kerja_sama</code>."
    ),
    "rule_no_terms": (
        "No terms given. Separate terms with commas, e.g. <code>beasiswa, guru</code>."
    ),
    "rule_empty_term": ("Term {position} is empty (two commas in a row?)."),
    "rule_too_long": ("The term {term}… is longer than {limit} characters."),
    "rule_star_inside": ("In {term}, * may only end a term, e.g. <code>investasi*</code>."),
    "rule_root_mark": (
        "In {term}, ~ marks a root word so that all its derived forms match too "
        "(<code>~sepakat</code> for kesepakatan, menyepakati); it cannot go with * or an @list."
    ),
    "rule_star_after_list": ("In {term}, * must follow a word, not a list."),
    "rule_short_stem": ("The stem {term} is too short: at least {limit} letters before *."),
    "rule_bad_list_name": ("{term} is not a valid list name."),
    "rule_unknown_list": ("There is no list {term}. Known lists: {lists}."),
    "rule_two_lists": ("{term} refers to more than one list; use one list per term."),
    "rule_no_letters": ("The term {term} has no letters or digits."),
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
        "Schedule: every day at {times} {timezone}\n"
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
    # --- /search: search of past news ---
    "search_word_topic": "topic",
    "search_word_outlet": "outlet",
    "search_usage": (
        "Type the words to look for, e.g. <code>/cari banjir samarinda</code>.\n"
        "Word beginnings: <code>investasi*</code> (also investasinya, investasikan). "
        'A whole phrase in quotes: <code>"kerja sama"</code>.\n'
        "Filter by topic or outlet: <code>/cari banjir topic:kaltim outlet:antara</code>."
    ),
    "search_too_long": "That search is too long. Please keep it under {limit} characters.",
    "search_too_many": "That search has too many words. Please use at most {limit}.",
    "search_short_prefix": (
        "A starred word needs at least {limit} letters before the *, e.g. <code>investasi*</code>."
    ),
    "search_expired": "This search has expired. Please search again with /cari.",
    "search_too_many_prefixes": (
        "A search may have at most {limit} starred (*) words. Please write the others out in full."
    ),
    "search_too_costly": (
        "Sorry, this search is too broad to answer now. Please add a more specific word, or "
        "use fewer starred (*) words."
    ),
    "search_none": "No items match “{query}”.",
    "search_header": (
        "<b>Search results for “{query}”</b>\n{total}, newest first · page {page} of {pages}"
    ),
    "search_header_many": (
        "<b>Search results for “{query}”</b>\nMore than {total}, newest first · page {page}"
    ),
    "search_previous": "« Previous",
    "search_next": "Next »",
    # --- /watch, /unwatch, /urgent, /quiet: urgent alerts ---
    "watch_usage": (
        "Type the words to watch, e.g. <code>/pantau banjir samarinda</code> or "
        "<code>/pantau PPDB</code>. Items containing all those words are sent as soon as they "
        "are published, without waiting for the digest. A whole phrase in quotes: "
        '<code>/pantau "jalan poros"</code>. Separate several watches with commas.'
    ),
    "watch_list": "<b>Your watch words</b> ({count} of {limit})\n{words}\n\n"
    "Remove one with, e.g., <code>/lepas {example}</code>.",
    "watch_none": (
        "You have no watch words yet. To add some, type e.g. "
        "<code>/pantau banjir samarinda</code>."
    ),
    "watch_added": "Done! Warta will send items about these at once: {words}.",
    "watch_known": "You already watch: {words}.",
    "watch_limit": "You already have {limit} watch words, the most allowed. Remove one first "
    "with /lepas.",
    "watch_bad": "The watch words “{words}” cannot be used. {reason}",
    "watch_too_costly": (
        "Your watch words are already too many or too long, so “{words}” cannot be added. "
        "Remove some with /lepas, or use shorter words."
    ),
    "watch_full": (
        "Sorry, Warta's watch list is full right now, so “{words}” cannot be added yet. "
        "Please try again later."
    ),
    "unwatch_usage": "Type the watch words to remove, e.g. <code>/lepas banjir samarinda</code>."
    " /pantau lists them.",
    "unwatch_done": "Removed the watch words “{words}”.",
    "unwatch_unknown": "“{words}” is not among your watch words. /pantau lists them.",
    "urgent_usage": (
        "Name a topic whose items should come at once, e.g. <code>/segera kaltim</code>. "
        "Send the same command again to switch it off."
    ),
    "urgent_on": "Done! Items on {topic} now come as soon as they are published.",
    "urgent_off": "Items on {topic} come with the digest only again.",
    "urgent_not_followed": (
        "You don't follow {topic} yet. Follow it first with <code>/subscribe {slug}</code>."
    ),
    "urgent_list": "Topics sent at once: {topics}.",
    "quiet_usage": (
        "Type your quiet hours, e.g. <code>/senyap 22:00-05:00</code>. During them Warta holds "
        "urgent items and sends them together afterwards. <code>/senyap off</code> switches "
        "this off."
    ),
    "quiet_set": "Done! Quiet hours {start}–{end} {zone}. Urgent items that come in then "
    "are sent together afterwards.",
    "quiet_off": "Quiet hours are off. Urgent items are sent whenever they are published.",
    "quiet_show": "Your quiet hours: {start}–{end} {zone}. <code>/senyap off</code> switches "
    "them off.",
    "quiet_none": "No quiet hours set. To set them, type e.g. <code>/senyap 22:00-05:00</code>.",
    "quiet_off_words": "off,none",
    "rule_too_many_terms": "One watch can have at most {limit} words.",
    "rule_list_in_phrase": (
        "The list {list} must stand on its own, not inside a phrase. Write, for example, "
        "“/pantau {list} banjir”: items naming one of the list's entries and the "
        "word banjir (flood). Watch words are matched in the news as written, in Indonesian."
    ),
    "top_header": "<b>Most reported</b> (last 24 hours)",
    "top_outlets": "📰 {count} outlets",
    "top_none": "No story was reported by more than one outlet in the last 24 hours.",
    "menu_top": "Most reported stories",
    # --- /schedule with days, and the weekly digest ---
    "schedule_day_words": "monday,tuesday,wednesday,thursday,friday,saturday,sunday",
    "schedule_weekly_words": "weekly",
    "schedule_every_day": "every day",
    "schedule_weekly": "weekly, on {day}s",
    "schedule_show_days": "Digests arrive ({timezone} time) at {times}.{paused}",
    "schedule_set_days": "Schedule updated: digests arrive ({timezone} time) at {times}.",
    "weekly_intro": (
        "📅 <b>Weekly digest</b>\nThe stories most outlets reported over the past week, by topic."
    ),
    "alert_watch": "🔔 <b>Urgent</b> · watching “{words}”",
    "alert_topic": "🔔 <b>Urgent</b> · topic {topic}",
    "alert_folded": "🔔 <b>{count}</b>",
    "alert_held": "🔔 <b>{count} during your quiet hours</b>",
    # Issue 12: a digest that fits a phone, and the first minute.
    "n_stories_one": "{n} story",
    "n_stories_other": "{n} stories",
    "n_outlets_one": "{n} outlet",
    "n_outlets_other": "{n} outlets",
    "n_items_one": "{n} item",
    "n_items_other": "{n} items",
    "n_feeds_one": "{n} feed",
    "n_feeds_other": "{n} feeds",
    "n_minutes_one": "{n} minute",
    "n_minutes_other": "{n} minutes",
    "n_days_one": "{n} day",
    "n_days_other": "{n} days",
    "n_chats_one": "{n} chat",
    "n_chats_other": "{n} chats",
    "n_messages_one": "{n} message",
    "n_messages_other": "{n} messages",
    "n_urgent_one": "{n} urgent item",
    "n_urgent_other": "{n} urgent items",
    "n_urgent_more_one": "+{n} more urgent item",
    "n_urgent_more_other": "+{n} more urgent items",
    "n_more_one": "+{n} more story",
    "n_more_other": "+{n} more stories",
    "digest_more": "<i>{more} — {command}</i>",
    "digest_footer": "Settings: /topics · /schedule · /pause",
    "cap_header": (
        "<b>Digest settings</b>\nHow many stories per topic would you like in each digest? "
        "Now: {cap}. The rest are always in /latest."
    ),
    "cap_all": "all",
    "cap_set": "Done! Each digest now shows {cap} stories per topic.",
    "cap_set_all": "Done! Each digest now shows every new story of each topic.",
    "region_only_button": "📍 Only {regions} news",
    "region_only_need_region": "Follow a region first, such as East Kalimantan.",
    "language_button": "🇮🇩 Bahasa Indonesia",
    "done_button": "Done ✔️",
    "wilayah_on": (
        "Done! Your other topics now show only news from {regions}. Type /wilayah again for "
        "news from anywhere."
    ),
    "wilayah_off": "OK, your topics show news from anywhere again.",
    "wilayah_need_region": (
        "Follow a region first, such as East Kalimantan, in /topics. Then type /wilayah."
    ),
    "region_usage": (
        "Usage: <code>/region samarinda</code> makes that topic a region, "
        "<code>/region samarinda off</code> makes it a subject again."
    ),
    "region_set": "{name} is now a region.",
    "subject_set": "{name} is now a subject (not a region).",
    "topicname_usage": (
        "Usage: <code>/topicname &lt;slug&gt; &lt;English name&gt;</code>, "
        "e.g. <code>/topicname education Education</code>."
    ),
    "topicname_set": "English name of {name}: {name_en}.",
    "feedname_usage": (
        "Usage: <code>/feedname &lt;id&gt; &lt;outlet name&gt;</code>, e.g. "
        "<code>/feedname 3 Tribun Kaltim</code>. See the ids in /feeds."
    ),
    "feedname_set": "Items of feed {id} are now shown as coming from {outlet}.",
    "today": "today",
    "tomorrow": "tomorrow",
    "onboarding_need_topic": "Pick at least one topic first, then tap Done.",
    "onboarding_done": (
        "Done! You follow: {topics}.\n"
        "Your first digest comes {day} at {time} {zone}. Would you like one now?\n\n"
        "Change the time with /schedule and the topics with /topics."
    ),
    "onboarding_done_unscheduled": (
        "Done! You follow: {topics}.\nScheduled digests are off; type /digest any time, or "
        "turn them on with /schedule 07:00."
    ),
    "digest_now_button": "📰 Send my digest now",
    "digest_group_members": (
        "In a group, digests come on schedule or when a group admin asks for one. "
        "To read the newest items now, type /latest."
    ),
    "stop_confirm": (
        "Are you sure? Everything stored for this chat (topics, schedule, what was sent) will "
        "be deleted. To take a break instead, type /pause."
    ),
    "stop_yes": "Yes, delete my data",
    "stop_no": "Cancel",
    "stop_cancelled": "OK, nothing was deleted. Warta keeps sending your digests.",
    # Issue 10: the words code used to hold. Lists are comma-separated, no spaces.
    "list_and": " and ",
    "clock_separator": ":",
    "decimal_separator": ".",
    "thousands_separator": ",",
    "day_names": "Monday,Tuesday,Wednesday,Thursday,Friday,Saturday,Sunday",
    "month_names": (
        "January,February,March,April,May,June,July,August,September,October,November,December"
    ),
    # What a reader may type; every language's words are accepted in every chat.
    "schedule_off_words": "off",
    "region_off_words": "off",
    "cap_all_words": "all,0",
    "channel_action_topics": "topics",
    "channel_action_schedule": "schedule",
    "channel_action_timezone": "timezone",
    "channel_action_language": "language",
    "channel_action_digest": "digest",
    "channel_action_pause": "pause",
    "channel_action_resume": "resume",
    "channel_action_stop": "stop",
}
