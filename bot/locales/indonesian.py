"""Indonesian texts (the default). Written as a Kaltim newsroom would say them, not translated
word for word. Fields in braces are filled in, escaped, by `bot.texts.t`."""

TEXTS = {
    "start": (
        "Halo, selamat datang di <b>Warta</b>! 👋\n\n"
        "Warta mengantarkan ringkasan berita Kalimantan Timur dan sekitarnya langsung ke "
        "Telegram Anda: hanya topik yang Anda pilih, hanya pada jam yang Anda tentukan.\n\n"
        "Silakan pilih topik lewat /topics. Ringkasan akan dikirim setiap hari pukul "
        "{times} ({timezone}); jamnya bisa diubah dengan /schedule.\n"
        "Daftar lengkap perintah ada di /help."
    ),
    "welcome_back": "Selamat datang kembali! Ringkasan terjadwal Anda aktif lagi.",
    "start_again": (
        "Warta sudah aktif di obrolan ini. Topik Anda: {topics}.\n"
        "Ringkasan dikirim pukul {times} ({timezone}). Lihat /help untuk perintah lainnya."
    ),
    "help": (
        "<b>Perintah Warta</b>\n"
        "/topics: pilih topik yang ingin diikuti\n"
        "/subscribe &lt;topik&gt;: ikuti topik, misalnya <code>/subscribe kaltim pendidikan</code>\n"
        "/unsubscribe &lt;topik&gt;: berhenti mengikuti topik\n"
        "/digest: kirim ringkasan berita baru sekarang\n"
        "/latest [topik]: 10 berita terbaru\n"
        "/schedule [JJ:MM,…|off]: lihat atau atur jam ringkasan, misalnya "
        "<code>/schedule 07:00,19:00</code>\n"
        "/timezone &lt;Area/Kota&gt;: atur zona waktu, misalnya <code>/timezone Asia/Makassar</code>\n"
        "/language id|en: ganti bahasa\n"
        "/pause: hentikan sementara ringkasan terjadwal\n"
        "/resume: lanjutkan ringkasan terjadwal\n"
        "/stop: berhenti dan hapus semua data Anda\n"
        "/channel @kanal: pasang Warta di kanal yang Anda kelola\n"
        "/help: daftar perintah ini"
    ),
    "help_admin": (
        "\n\n<b>Khusus admin</b>\n"
        "/addfeed &lt;url&gt;: tambah feed RSS/Atom\n"
        "/removefeed &lt;id&gt;: hapus feed\n"
        "/feeds: daftar feed dan kondisinya\n"
        "/addtopic &lt;slug&gt; &lt;nama&gt;: buat topik baru\n"
        "/deltopic &lt;slug&gt;: hapus topik\n"
        "/topic &lt;slug&gt; [include|require|exclude|remove &lt;istilah&gt;, …]: lihat atau ubah "
        "aturan topik\n"
        "/testtopic &lt;teks&gt;: uji teks terhadap aturan topik\n"
        "/retag [hari]: terapkan aturan terkini pada berita tersimpan\n"
        "/importopml: impor daftar feed dari berkas OPML\n"
        "/exportopml: unduh daftar feed sebagai berkas OPML\n"
        "/pollnow: ambil semua feed sekarang\n"
        "/stats: statistik Warta"
    ),
    "unknown_command": (
        "Maaf, perintah itu tidak dikenal. Ketik /help untuk melihat daftar perintah."
    ),
    "error": (
        "Maaf, terjadi gangguan saat memproses permintaan Anda. Silakan coba lagi "
        "sebentar lagi."
    ),
    "topics_header": (
        "<b>Pilih topik</b>\nKetuk topik untuk mengikuti atau berhenti mengikutinya. "
        "Topik yang Anda ikuti bertanda ✅."
    ),
    "topics_empty": "Belum ada topik. Admin dapat membuatnya dengan /addtopic.",
    "subscribe_usage": (
        "Sebutkan topiknya, misalnya <code>/subscribe kaltim pendidikan</code>.\n"
        "Topik yang tersedia: {topics}."
    ),
    "unsubscribe_usage": (
        "Sebutkan topik yang ingin dilepas, misalnya <code>/unsubscribe investasi</code>.\n"
        "Topik Anda: {topics}."
    ),
    "unknown_topics": "Topik {names} tidak ditemukan. Topik yang tersedia: {topics}.",
    "subscribed": "Siap! Anda sekarang mengikuti: {topics}.",
    "unsubscribed": "Baik, Anda tidak lagi mengikuti: {topics}. Topik Anda sekarang: {current}.",
    "no_topics": "belum ada",
    "need_topics": "Anda belum mengikuti topik apa pun. Pilih dulu lewat /topics.",
    "digest_later": (
        "Maaf, Telegram sedang terganggu sehingga ringkasan Anda belum terkirim. Ringkasan itu "
        "tersimpan dan akan kami kirim otomatis begitu Telegram pulih."
    ),
    "no_new_items": "Belum ada berita baru pada topik Anda sejak ringkasan terakhir.",
    "latest_header": "<b>10 berita terbaru: {scope}</b>",
    "latest_all": "topik Anda",
    "latest_none": "Belum ada berita tersimpan untuk {scope}.",
    "latest_usage": "Gunakan <code>/latest</code> atau <code>/latest &lt;topik&gt;</code>.",
    "digest_header": "<b>📰 Ringkasan Warta</b>\n{date}, pukul {time} {zone}",
    "digest_continued": "(lanjutan)",
    "schedule_show": "Ringkasan dikirim setiap hari pukul {times} ({timezone}).{paused}",
    "schedule_show_off": "Ringkasan terjadwal sedang tidak aktif. Aktifkan dengan, misalnya, "
    "<code>/schedule 07:00</code>.",
    "schedule_paused_note": "\nSaat ini dijeda; ketik /resume untuk melanjutkan.",
    "schedule_set": "Jadwal diperbarui: ringkasan dikirim setiap hari pukul {times} ({timezone}).",
    "schedule_off": (
        "Ringkasan terjadwal dimatikan. Anda tetap bisa meminta ringkasan dengan /digest."
    ),
    "schedule_usage": (
        "Format jam tidak dikenali. Contoh: <code>/schedule 07:00</code>, "
        "<code>/schedule 06:30,12:00,19:00</code>, atau <code>/schedule off</code>."
    ),
    "schedule_too_many": "Maksimal {limit} jam ringkasan per hari.",
    "timezone_show": (
        "Zona waktu Anda: {timezone}. Ubah dengan, misalnya, <code>/timezone Asia/Jakarta</code> "
        "(WIB), <code>Asia/Makassar</code> (WITA) atau <code>Asia/Jayapura</code> (WIT)."
    ),
    "timezone_set": "Zona waktu diubah ke {timezone}. Sekarang pukul {now} di sana.",
    "timezone_invalid": (
        "Zona waktu {name} tidak dikenal. Gunakan nama seperti <code>Asia/Makassar</code> (WITA), "
        "<code>Asia/Jakarta</code> (WIB) atau <code>Asia/Jayapura</code> (WIT)."
    ),
    "language_usage": "Pilih bahasa: <code>/language id</code> (Indonesia) atau "
    "<code>/language en</code> (English).",
    "language_set": "Baik, Warta sekarang memakai bahasa Indonesia.",
    "paused": "Ringkasan terjadwal dijeda. Topik Anda tetap tersimpan; ketik /resume untuk "
    "melanjutkan.",
    "already_paused": "Ringkasan terjadwal memang sedang dijeda. Ketik /resume untuk melanjutkan.",
    "resumed": "Ringkasan terjadwal aktif kembali, pukul {times} ({timezone}).",
    "not_paused": "Ringkasan terjadwal sudah aktif, pukul {times} ({timezone}).",
    "stopped": (
        "Warta berhenti mengirimi Anda berita. Semua data obrolan ini (topik, jadwal, "
        "riwayat kiriman) sudah dihapus. Ketik /start kapan saja untuk mulai lagi."
    ),
    "no_args": "Perintah {command} tidak memerlukan tambahan apa pun. Cukup ketik {command}.",
    "admin_only": "Maaf, perintah ini hanya untuk admin Warta.",
    "addfeed_usage": "Sertakan alamat feed, misalnya "
    "<code>/addfeed https://kaltim.antaranews.com/rss/terkini.xml</code>.",
    "addfeed_checking": "Memeriksa {url} …",
    "addfeed_ok": (
        "Feed ditambahkan (id {id}): <b>{title}</b>\n{count} berita ditemukan dan "
        "disimpan."
    ),
    "addfeed_failed": "Feed tidak ditambahkan. {url}\nAlasan: {reason}",
    "addfeed_duplicate": "Feed itu sudah terdaftar dengan id {id}: {title}.",
    "removefeed_usage": (
        "Sebutkan id feed, misalnya <code>/removefeed 3</code>. Lihat id di /feeds."
    ),
    "removefeed_ok": "Feed {id} ({title}) dan beritanya sudah dihapus.",
    "removefeed_missing": "Tidak ada feed dengan id {id}. Lihat daftarnya di /feeds.",
    "feeds_empty": "Belum ada feed. Tambahkan dengan /addfeed &lt;url&gt;.",
    "feeds_header": "<b>Daftar feed</b> ({count})",
    "feed_line": (
        "<b>{id}. {title}</b> · {state}\n{url}\nTerakhir berhasil: {success} · "
        "Berita: {items} ({recent} dalam 7 hari)\nKendala terakhir: {error}"
    ),
    "never": "belum pernah",
    "none": "tidak ada",
    "addtopic_usage": (
        "Format: <code>/addtopic &lt;slug&gt; &lt;nama tampilan&gt;</code>, misalnya "
        "<code>/addtopic kesehatan Kesehatan</code>."
    ),
    "addtopic_ok": (
        "Topik <b>{name}</b> ({slug}) dibuat. Tambahkan kata kuncinya dengan "
        "<code>/topic {slug} include istilah1, istilah2</code>."
    ),
    "addtopic_exists": "Topik dengan slug {slug} sudah ada.",
    "deltopic_usage": "Format: <code>/deltopic &lt;slug&gt;</code>.",
    "deltopic_ok": "Topik {slug} dihapus, beserta langganan dan tandanya pada berita.",
    "topic_usage": (
        "Format: <code>/topic &lt;slug&gt;</code> untuk melihat aturan, atau "
        "<code>/topic &lt;slug&gt; include|require|exclude|remove istilah1, istilah2</code>."
    ),
    "topic_rule": (
        "<b>{name}</b> ({slug})\n"
        "include: {include}\nrequire: {require}\nexclude: {exclude}\n\n"
        "Cocok bila salah satu istilah include muncul{require_note}, dan tak satu pun istilah "
        "exclude muncul."
    ),
    "topic_require_note": ", salah satu istilah require juga muncul",
    "topic_updated": "Aturan topik {slug} diperbarui.",
    "topic_unknown_terms": "Istilah ini tidak ada di aturan {slug}: {terms}.",
    "testtopic_usage": "Format: <code>/testtopic &lt;teks&gt;</code>, misalnya "
    "<code>/testtopic Pemprov Kaltim teken MoU beasiswa dengan Jepang</code>.",
    "testtopic_none": "Teks ini tidak cocok dengan topik mana pun.",
    "testtopic_header": "<b>Hasil uji topik</b>",
    "testtopic_match": "✅ {name} ({slug}): {terms}",
    "testtopic_miss": "▫️ {name} ({slug}): {why}",
    "why_no_include": "tidak ada istilah include",
    "why_no_require": "include cocok ({terms}) tetapi tidak ada istilah require",
    "why_excluded": "dikecualikan oleh {terms}",
    "pollnow_started": "Mengambil semua feed…",
    "pollnow_done": "Selesai: {feeds} feed diambil, {new} berita baru, {errors} gagal.{details}",
    "stats": (
        "<b>Statistik Warta</b>\n"
        "Pelanggan: {subscribers} ({active} aktif, {paused} dijeda)\n"
        "Feed: {feeds} · Berita tersimpan: {items}\n\n"
        "<b>Berita per topik, 7 hari terakhir</b>\n{topics}"
    ),
    "menu_topics": "Pilih topik berita",
    "menu_digest": "Kirim ringkasan sekarang",
    "menu_latest": "10 berita terbaru",
    "menu_schedule": "Atur jam ringkasan",
    "menu_timezone": "Atur zona waktu",
    "menu_language": "Ganti bahasa",
    "menu_pause": "Jeda ringkasan terjadwal",
    "menu_resume": "Lanjutkan ringkasan terjadwal",
    "menu_help": "Daftar perintah",
    "menu_stop": "Berhenti dan hapus data saya",
    "fail_http": "server menjawab dengan kode HTTP {status}.",
    "fail_timeout": "server tidak menjawab dalam batas waktu.",
    "fail_refused": (
        "alamat ini ditolak ({detail}). Hanya alamat publik http/https yang diizinkan."
    ),
    "fail_too_large": "ukuran feed melebihi batas 5 MB.",
    "fail_network": "tidak dapat terhubung ke server ({detail}).",
    "fail_not_feed": "alamat ini bukan feed RSS atau Atom ({detail}).",
    "fail_gone": "server menyatakan feed ini sudah dihapus (HTTP 410).",
    "fail_bad_response": "jawaban server tidak dapat dibaca ({detail}).",
    "fail_cpu_budget": (
        "feed ini terlalu berat untuk diolah (melewati batas {detail} detik waktu CPU)."
    ),
    "fail_worker_died": (
        "proses yang mengolah feed ini berhenti mendadak (kehabisan memori atau galat)."
    ),
    "topic_effect": "Dampak pada berita 7 hari terakhir: +{gained} berita, −{lost} berita.",
    "topic_effect_retag": (
        "Aturan ini berlaku untuk berita yang masuk berikutnya; ketik /retag untuk "
        "menerapkannya juga pada berita yang sudah tersimpan."
    ),
    "retag_usage": (
        "Format: <code>/retag</code> atau <code>/retag &lt;hari&gt;</code> (1 sampai 90),"
        " misalnya <code>/retag 14</code>."
    ),
    "retag_done": "Berita {days} hari terakhir sudah ditandai ulang dengan aturan terkini.",
    "retag_line": "{name}: +{gained}, −{lost}",
    "retag_nothing": "Tidak ada perubahan.",
    "feed_alert_failing": (
        "⚠️ Feed {id} ({title}) gagal diambil lebih dari sehari.\n{url}\nKendala: {error}"
    ),
    "feed_alert_recovered": "✅ Feed {id} ({title}) kembali normal.\n{url}",
    "feed_alert_disabled": "⛔ Feed {id} ({title}) dinonaktifkan: {error}\n{url}",
    "feed_ok": "✅ normal",
    "feed_failing": "⚠️ gagal sejak {since}",
    "feed_disabled": "⛔ nonaktif",
    "importopml_usage": (
        "Kirim berkas OPML dengan keterangan <code>/importopml</code>, atau balas berkas "
        "OPML dengan <code>/importopml</code>."
    ),
    "importopml_too_large": "Berkas OPML terlalu besar (maksimal 1 MB).",
    "importopml_bad_file": "Berkas itu bukan OPML yang dapat dibaca.",
    "importopml_started": "Memeriksa {count} feed dari berkas OPML…",
    "importopml_done": (
        "Impor selesai: {added} ditambahkan, {duplicate} sudah ada, {failed} "
        "gagal.{details}"
    ),
    "exportopml_caption": "Daftar {count} feed Warta (OPML).",
    "digest_also": "Juga diberitakan:",
    "stats_no_run": "Belum ada pengiriman ringkasan terjadwal.",
    "stats_last_run": (
        "<b>Pengiriman terjadwal terakhir</b> ({when})\n"
        "Jatuh tempo: {due} obrolan · terkirim: {sent} · tanpa berita baru: {empty} · "
        "gagal: {failed}{reasons}\n"
    ),
    "stats_run_pace": "{messages} pesan dalam {seconds} detik ({rate} pesan/detik)",
    "stats_run_quick": "{messages} pesan dalam kurang dari 1 detik",
    "reason_blocked": "diblokir",
    "reason_error": "gangguan",
    "reason_later": "tertunda",
    "reason_rejected": "ditolak Telegram",
    "reason_expired": "kedaluwarsa",
    "stats_run_dropped": "\nJadwal yang terlewat saat bot mati dan tidak dikirim susulan: {dropped} obrolan",
    "stats_run_waiting": "\nMasih menunggu di antrean kirim (dicoba lagi nanti): {waiting} pesan",
    "group_admins_only": "Di grup, pengaturan Warta hanya dapat diubah oleh admin grup.",
    "rule_slug": (
        "Slug {slug} tidak dapat dipakai: gunakan 2 sampai 32 huruf kecil, angka atau "
        "garis bawah, misalnya <code>kesehatan</code> atau <code>kerja_sama</code>."
    ),
    "rule_no_terms": (
        "Belum ada istilah. Pisahkan istilah dengan koma, misalnya <code>beasiswa, "
        "guru</code>."
    ),
    "rule_empty_term": (
        "Istilah ke-{position} kosong (ada dua koma berturut-turut?)."
    ),
    "rule_too_long": (
        "Istilah {term}… lebih panjang dari {limit} karakter."
    ),
    "rule_star_inside": (
        "Pada {term}, tanda * hanya boleh di akhir istilah, misalnya "
        "<code>investasi*</code>."
    ),
    "rule_star_after_list": (
        "Pada {term}, tanda * harus mengikuti kata, bukan daftar."
    ),
    "rule_short_stem": (
        "Kata dasar {term} terlalu pendek: minimal {limit} huruf sebelum *."
    ),
    "rule_bad_list_name": (
        "{term} bukan nama daftar yang sah."
    ),
    "rule_unknown_list": (
        "Daftar {term} tidak dikenal. Daftar yang ada: {lists}."
    ),
    "rule_two_lists": (
        "{term} merujuk lebih dari satu daftar; pakai satu daftar per istilah."
    ),
    "rule_no_letters": (
        "Istilah {term} tidak mengandung huruf atau angka."
    ),
    "channel_private_only": (
        "Kanal diatur lewat obrolan pribadi dengan Warta. Silakan kirim "
        "<code>/channel @namakanal</code> kepada saya secara pribadi."
    ),
    "channel_usage": (
        "<b>Memasang Warta di kanal Anda</b>\n"
        "1. Jadikan Warta admin kanal dengan izin mengirim pesan.\n"
        "2. Di obrolan ini, kirim <code>/channel @namakanal</code>.\n\n"
        "Setelah itu, atur kanal dengan:\n"
        "<code>/channel @namakanal topik kaltim, pendidikan</code>\n"
        "<code>/channel @namakanal jadwal 07:00, 19:00</code>\n"
        "<code>/channel @namakanal zona WITA</code>\n"
        "<code>/channel @namakanal bahasa id</code>\n"
        "<code>/channel @namakanal kirim</code>: kirim ringkasan sekarang\n"
        "<code>/channel @namakanal jeda</code> atau <code>lanjut</code>\n"
        "<code>/channel @namakanal berhenti</code>: hentikan Warta di kanal itu"
    ),
    "channel_not_found": (
        "Kanal {name} tidak ditemukan, atau Warta belum bergabung di sana. Tambahkan Warta "
        "sebagai admin kanal itu, lalu coba lagi."
    ),
    "channel_not_channel": (
        "{name} bukan kanal. Untuk grup, tambahkan Warta ke grup itu dan atur langsung dari sana."
    ),
    "channel_bot_not_admin": (
        "Warta belum bisa mengirim pesan di {name}. Jadikan Warta admin kanal dengan izin "
        "mengirim pesan, lalu coba lagi."
    ),
    "channel_admins_only": "Maaf, hanya admin kanal {name} yang dapat mengatur Warta di sana.",
    "channel_settings": (
        "<b>Warta di kanal {name}</b>\n"
        "Topik: {topics}\n"
        "Jadwal: setiap hari pukul {times} ({timezone})\n"
        "Bahasa ringkasan: {language}\n"
        "Status: {state}\n\n"
        "Ketik /channel untuk melihat cara mengubahnya."
    ),
    "channel_active": "aktif",
    "channel_paused": "dijeda",
    "channel_stopped": (
        "Warta tidak akan lagi mengirim ringkasan ke {name}, dan semua pengaturannya sudah "
        "dihapus."
    ),
    "channel_usage_topics": (
        "Sebutkan topiknya, misalnya <code>/channel @namakanal topik kaltim, pendidikan</code>."
    ),
    "channel_usage_schedule": (
        "Tulis jamnya dengan format JJ:MM, misalnya "
        "<code>/channel @namakanal jadwal 07:00, 19:00</code>, atau <code>jadwal mati</code> "
        "untuk menghentikan kiriman terjadwal."
    ),
    "channel_usage_timezone": (
        "Sebutkan zona waktunya: WIB, WITA, WIT, atau nama seperti Asia/Makassar. Contoh: "
        "<code>/channel @namakanal zona WITA</code>."
    ),
    "channel_usage_language": (
        "Pilih bahasa <code>id</code> (Indonesia) atau <code>en</code> (Inggris), misalnya "
        "<code>/channel @namakanal bahasa id</code>."
    ),
    "channel_digest_sent": "Ringkasan sudah dikirim ke {name}.",
    "channel_no_news": "Belum ada berita baru untuk {name} sejak ringkasan terakhirnya.",
    "language_name_id": "Indonesia",
    "language_name_en": "Inggris",
    "channel_digest_failed": (
        "Ringkasan untuk {name} belum terkirim. Pastikan Warta masih admin kanal itu; bila "
        "Telegram sedang terganggu, ringkasan akan dikirim ulang otomatis."
    ),
}
