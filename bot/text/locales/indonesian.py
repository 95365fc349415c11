"""Indonesian texts (the default). Written as a Kaltim newsroom would say them, not translated
word for word. Fields in braces are filled in, escaped, by `bot.text.texts.t`."""

TEXTS = {
    "start": (
        "Halo, selamat datang di <b>Warta</b>! 👋\n\n"
        "Warta mengantarkan ringkasan berita Kalimantan Timur dan sekitarnya langsung ke "
        "Telegram Anda: hanya topik yang Anda pilih, pada jam yang Anda tentukan.\n\n"
        "Ketuk topik yang ingin Anda ikuti, lalu ketuk <b>Selesai</b>."
    ),
    "welcome_back": "Selamat datang kembali! Ringkasan terjadwal Anda aktif lagi.",
    "start_again": (
        "Warta sudah aktif di obrolan ini. Topik Anda: {topics}.\n"
        "Ringkasan dikirim pukul {times} {timezone}. Lihat /help untuk perintah lainnya."
    ),
    "help": (
        "<b>Berita</b>\n"
        "/digest – kirim ringkasan berita baru sekarang\n"
        "/latest – berita terbaru topik Anda; /latest pendidikan untuk satu topik, "
        "/latest pendidikan 2 untuk halaman berikutnya\n"
        "/top – berita yang paling banyak diberitakan dalam 24 jam terakhir\n"
        "/cari investasi* topik:kaltim – cari berita lama (frasa dalam tanda kutip)\n\n"
        "<b>Berita segera</b>\n"
        "/pantau banjir samarinda – berita yang memuat kata itu langsung dikirim "
        "(/pantau saja untuk melihat daftarnya)\n"
        "/lepas banjir samarinda – hapus kata pantauan\n"
        "/segera kaltim – berita topik itu langsung dikirim, tidak menunggu ringkasan\n"
        "/senyap 22.00-05.00 – jam tanpa berita segera (/senyap mati untuk mematikan)\n\n"
        "<b>Pengaturan</b>\n"
        "/topics – pilih topik yang Anda ikuti\n"
        "/subscribe kaltim pendidikan – ikuti topik dengan mengetik namanya\n"
        "/unsubscribe investasi – berhenti mengikuti topik\n"
        "/wilayah – topik lain hanya memuat berita dari wilayah Anda (misalnya Kaltim)\n"
        "/setelan – berapa berita per topik di setiap ringkasan (3, 5, 10 atau semua)\n"
        "/schedule 07.00,19.00 – atur jam kiriman; /schedule 07.00 senin-jumat untuk hari "
        "tertentu, /schedule mingguan senin 07.00 untuk ringkasan mingguan "
        "(/schedule off atau mati untuk mematikan)\n"
        "/timezone WITA – zona waktu (WIB/WITA/WIT)\n"
        "/language en – English\n"
        "/pause – libur sejenak dari ringkasan terjadwal; /resume – lanjutkan\n\n"
        "<b>Lainnya</b>\n"
        "/channel @namakanal – pasang Warta di kanal yang Anda kelola\n"
        "/stop – berhenti dan hapus semua data Anda\n"
        "/help – daftar ini"
    ),
    "help_admin": (
        "\n\n<b>Khusus admin</b>\n"
        "/addfeed https://… – tambah feed RSS/Atom, atau alamat halaman situs berita\n"
        "/addsite kaltimtoday.co – ikuti situs berita lewat feed atau peta situsnya, atau "
        "lewat Google News\n"
        "/removefeed 3 – hapus feed (id ada di /feeds)\n"
        "/feeds – daftar feed dan kondisinya\n"
        "/feedname 3 Tribun Kaltim – nama media untuk berita dari feed itu\n"
        "/addtopic kesehatan Kesehatan – buat topik baru\n"
        "/deltopic kesehatan – hapus topik\n"
        "/topic kesehatan – lihat aturan topik; /topic kesehatan include rumah sakit, "
        "puskesmas – ubah (include, require, exclude, remove)\n"
        "/region samarinda – jadikan topik itu wilayah (/region samarinda off untuk batal)\n"
        "/topicname education Education – nama topik dalam bahasa Inggris\n"
        "/testtopic teks berita – uji teks terhadap aturan topik\n"
        "/retag 14 – terapkan aturan terkini pada berita 14 hari terakhir\n"
        "/importopml – impor feed dari berkas OPML; /exportopml – unduh daftar feed\n"
        "/pollnow – ambil semua feed sekarang\n"
        "/stats – statistik Warta"
    ),
    "unknown_command": (
        "Maaf, perintah itu tidak dikenal. Ketik /help untuk melihat daftar perintah."
    ),
    "error": (
        "Maaf, terjadi gangguan saat memproses permintaan Anda. Silakan coba beberapa saat lagi."
    ),
    "busy_try_again": (
        "Maaf, Warta sedang sibuk menyimpan data lain sehingga perintah Anda belum tercatat. "
        "Silakan kirim ulang semenit lagi."
    ),
    "outage_over": (
        "⚠️ Telegram tidak dapat dihubungi selama sekitar {minutes}. Selama itu ringkasan "
        "dan berita segera ditahan. Kini pengiriman sudah berjalan lagi: {waiting} yang "
        "tertunda sedang dikirim."
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
        "Sebutkan topik yang tidak ingin Anda ikuti lagi, misalnya <code>/unsubscribe investasi</code>.\n"
        "Topik Anda: {topics}."
    ),
    "unknown_topics": "Topik {names} tidak ditemukan. Topik yang tersedia: {topics}.",
    "subscribed": "Siap! Anda sekarang mengikuti: {topics}.",
    "unsubscribed": "Baik, Anda tidak lagi mengikuti: {topics}. Topik Anda sekarang: {current}.",
    "no_topics": "belum ada",
    "need_topics": "Anda belum mengikuti topik apa pun. Pilih dulu lewat /topics.",
    "digest_later": (
        "Maaf, Telegram sedang terganggu sehingga ringkasan Anda belum terkirim. Ringkasan itu "
        "tersimpan dan akan dikirim Warta otomatis begitu Telegram pulih."
    ),
    "no_new_items": "Belum ada berita baru pada topik Anda sejak ringkasan terakhir.",
    "latest_header": "<b>{count} terbaru: {scope}</b>",
    "latest_page": " <i>(halaman {page})</i>",
    "latest_next": "<i>Berita sebelumnya: {command}</i>",
    "latest_all": "topik Anda",
    "latest_none": "Belum ada berita untuk {scope}.",
    "latest_usage": "Gunakan <code>/latest</code> atau <code>/latest &lt;topik&gt;</code>.",
    "digest_header": "<b>📰 Ringkasan Warta</b> · {date} · {time} {zone} · {stories} dari {outlets}",
    "digest_continued": "(lanjutan)",
    "schedule_show": "Ringkasan dikirim setiap hari pukul {times} {timezone}.{paused}",
    "schedule_show_off": "Ringkasan terjadwal sedang tidak aktif. Untuk menyalakannya, ketik "
    "misalnya <code>/schedule 07.00</code>.",
    "schedule_paused_note": "\nSaat ini dijeda. Ketik /resume untuk melanjutkan.",
    "schedule_set": "Jadwal diperbarui: ringkasan dikirim setiap hari pukul {times} {timezone}.",
    "schedule_off": (
        "Ringkasan terjadwal dimatikan. Anda tetap bisa meminta ringkasan dengan /digest."
    ),
    "schedule_usage": (
        "Format jam tidak dikenali. Contoh: <code>/schedule 07.00</code>, "
        "<code>/schedule 06.30,12.00,19.00</code>, atau <code>/schedule off</code>.\n"
        "Hanya hari tertentu: <code>/schedule 07.00 senin-jumat, 19.00 sabtu</code>. "
        "Ringkasan mingguan: <code>/schedule mingguan senin 07.00</code>."
    ),
    "schedule_too_many": "Maksimal {limit} jam ringkasan per hari.",
    "timezone_show": (
        "Zona waktu Anda: {timezone}. Untuk mengubahnya, ketik <code>/timezone WIB</code>, "
        "<code>/timezone WITA</code> atau <code>/timezone WIT</code>."
    ),
    "timezone_set": "Zona waktu diubah ke {timezone} ({zone}). Sekarang pukul {now} {zone}.",
    "timezone_invalid": (
        "Zona waktu {name} tidak dikenal. Ketik <code>/timezone WIB</code>, "
        "<code>/timezone WITA</code> atau <code>/timezone WIT</code> (nama seperti Asia/Makassar "
        "juga bisa)."
    ),
    "timezone_usage": (
        "Ketik <code>/timezone WITA</code>, <code>/timezone WIB</code> atau "
        "<code>/timezone WIT</code>, atau nama seperti <code>Asia/Makassar</code>."
    ),
    "language_usage": "Pilih bahasa: <code>/language id</code> (Indonesia) atau "
    "<code>/language en</code> (English).",
    "language_set": "Baik, Warta sekarang memakai bahasa Indonesia.",
    "paused": "Ringkasan terjadwal dijeda. Topik Anda tetap tersimpan. Ketik /resume untuk "
    "melanjutkan.",
    "already_paused": "Ringkasan terjadwal memang sedang dijeda. Ketik /resume untuk melanjutkan.",
    "resumed": "Ringkasan terjadwal aktif kembali, pukul {times} {timezone}.",
    "not_paused": "Ringkasan terjadwal sudah aktif, pukul {times} {timezone}.",
    "stopped": (
        "Warta berhenti mengirimi Anda berita. Semua data obrolan ini (topik, jadwal, "
        "riwayat kiriman) sudah dihapus. Ketik /start kapan saja untuk mulai lagi."
    ),
    "no_args": "Perintah {command} tidak memerlukan tambahan apa pun. Cukup ketik {command}.",
    "admin_only": "Maaf, perintah ini hanya untuk admin Warta.",
    "slow_down": (
        "Pelan-pelan, ya. Warta menerima terlalu banyak perintah dari obrolan ini dalam waktu "
        "singkat. Silakan coba beberapa saat lagi."
    ),
    "command_too_long": (
        "Perintahnya terlalu panjang untuk Warta. Ketik /help untuk melihat contoh penggunaannya."
    ),
    "cooldown": "{command} baru saja dijalankan. Silakan coba lagi dalam {seconds} detik.",
    "addfeed_usage": "Sertakan alamat feed, misalnya "
    "<code>/addfeed https://kaltim.antaranews.com/rss/terkini.xml</code>.",
    "addfeed_checking": "Memeriksa {url} …",
    "addfeed_ok": (
        "Feed ditambahkan (id {id}): <b>{title}</b>\n{count} berita ditemukan dan disimpan."
    ),
    "addfeed_failed": "Feed {url} gagal ditambahkan.\nAlasan: {reason}",
    "addsite_usage": (
        "Sertakan nama situs berita, misalnya <code>/addsite kaltimtoday.co</code>. Warta "
        "akan mencari feed RSS atau peta situs berita milik situs itu. Bila tidak ada, "
        "beritanya diikuti lewat pencarian Google News."
    ),
    "addsite_bad_domain": (
        "{text} bukan nama situs. Tulis seperti <code>/addsite niaga.asia</code>."
    ),
    "addsite_ok": (
        "Siap! Berita {outlet} kini diikuti lewat Google News (feed {id}). "
        "{count} ditemukan dan disimpan."
    ),
    "source_found": (
        "Siap! Berita {outlet} kini diikuti lewat {how} milik situsnya sendiri (feed {id}):\n"
        "{url}\n{count} ditemukan dan disimpan."
    ),
    "source_moved": (
        "Siap! Feed {id} ({outlet}) kini diikuti lewat {how} milik situsnya sendiri:\n"
        "{url}\n{count} ditemukan dan disimpan."
    ),
    "source_none": (
        "Warta tidak menemukan sumber berita di {site}: tidak ada feed RSS, peta situs berita, "
        "maupun berita situs ini di Google News. Tidak ada yang ditambahkan.{google}"
    ),
    "source_none_google": "\nGoogle News: {reason}",
    "addsite_still_google": (
        "{outlet} (feed {id}) tetap diikuti lewat Google News: Warta belum menemukan feed RSS "
        "atau peta situs berita di {domain}."
    ),
    "kind_feed": "feed RSS",
    "kind_sitemap": "peta situs berita (news sitemap)",
    "kind_googlenews": "Google News",
    "addsite_failed": "Situs {domain} gagal ditambahkan.\nAlasan: {reason}",
    "addfeed_duplicate": "Feed itu sudah terdaftar dengan id {id}: {title}.",
    "removefeed_usage": (
        "Sebutkan id feed, misalnya <code>/removefeed 3</code>. Lihat id di /feeds."
    ),
    "removefeed_ok": "Feed {id} ({title}) dan beritanya sudah dihapus.",
    "removefeed_missing": "Tidak ada feed dengan id {id}. Lihat daftarnya di /feeds.",
    "feeds_empty": "Belum ada feed. Tambahkan dengan /addfeed &lt;url&gt;.",
    "feeds_header": "<b>Daftar feed</b> ({count})",
    "feed_line": (
        "<b>{id}. {title}</b> · {state} · {kind}\n{url}\nTerakhir berhasil: {success} · "
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
    "deltopic_ok": "Topik {slug} dihapus, beserta semua langganan dan label topiknya.",
    "topic_usage": (
        "Format: <code>/topic &lt;slug&gt;</code> untuk melihat aturan, "
        "<code>/topic &lt;slug&gt; include|require|exclude|remove istilah1, istilah2</code> untuk "
        "mengubah istilahnya, atau <code>/topic &lt;slug&gt; threshold 3</code> untuk mengubah "
        "ambang batasnya."
    ),
    "topic_rule": (
        "<b>{name}</b> ({slug})\n"
        "include: {include}\nrequire: {require}\nexclude: {exclude}\nambang: {threshold}\n\n"
        "Cocok bila bobot istilah include yang ditemukan mencapai {threshold} (di judul 3, di "
        "kalimat pertama 2, sesudahnya 1; tiap istilah dihitung sekali){require_note}, dan tak "
        "satu pun istilah exclude muncul."
    ),
    "topic_require_note": ", salah satu istilah require juga muncul",
    "topic_frames": "Bingkai (ubah lewat topics export/import):\n{frames}",
    "topic_frame_line": "• {name} ({effect}): {note}",
    "frame_effect_in": "menambah bukti",
    "frame_effect_out": "mencoret istilah",
    "topic_words_header": "Kata yang cocok dalam berita 7 hari terakhir:",
    "topic_word_count": "{word} ×{count}",
    "topic_words_line": "{term}: {words}",
    "topic_words_none": "{term}: belum ada yang cocok",
    "topic_words_flag": (
        "⚠️ '{term}' paling sering cocok dengan '{other}' ×{count} — maksud Anda hanya "
        "'{typed}'? Tulis <code>{typed}</code> tanpa tanda ~ atau * agar hanya kata itu "
        "(dan bentuk -nya, -lah, -kah, -pun, -ku, -mu) yang cocok."
    ),
    "topic_updated": "Aturan topik {slug} diperbarui.",
    "topic_unknown_terms": "Istilah ini tidak ada di aturan {slug}: {terms}.",
    "testtopic_usage": "Format: <code>/testtopic &lt;teks&gt;</code>, misalnya "
    "<code>/testtopic Pemprov Kaltim teken MoU beasiswa dengan Jepang</code>.",
    "testtopic_none": "Teks ini tidak cocok dengan topik mana pun.",
    "testtopic_header": "<b>Hasil uji topik</b>",
    "testtopic_match": "✅ {name} ({slug}): skor {score}, ambang {threshold}\n    {evidence}",
    "testtopic_miss": "▫️ {name} ({slug}): {why}",
    "testtopic_miss_evidence": "▫️ {name} ({slug}): {why}\n    {evidence}",
    "testtopic_weights": (
        "\nBaris pertama dibaca sebagai judul, sisanya isi berita. Bobot: judul 3, kalimat "
        "pertama 2, sesudahnya 1 (2 bila kalimatnya menyebut nilai uang, menggemakan judul, "
        "atau istilahnya muncul lagi); nama tempat di dateline atau dalam deretan nama tempat "
        "1. «…» adalah kata yang cocok bila berbeda dari istilahnya."
    ),
    "why_below_threshold": "skor {score}, belum mencapai ambang {threshold}",
    "where_title": "judul",
    "where_lead": "kalimat pertama",
    "where_body": "isi",
    "where_dateline": "dateline",
    "where_list": "deretan nama tempat",
    "where_figure": "kalimat dengan nilai uang",
    "where_venue": "tempat acara berita provinsi lain",
    "where_aside": "keterangan dalam kalimat umum",
    "where_elsewhere": "sebutan sepintas dalam berita daerah lain",
    "where_echo": "isi yang menggemakan judul",
    "evidence_frame_in": "bingkai {name}",
    "evidence_frame_out": "tidak dihitung: bingkai {name}",
    "strength_3": "kuat",
    "strength_2": "sedang",
    "strength_1": "lemah",
    "strength_0": "tidak dihitung",
    "evidence_require": "syarat",
    "evidence_exclude": "pengecualian",
    "list_negara_asing": "negara/wilayah asing",
    "list_wilayah_kaltim": "wilayah Kaltim",
    "why_no_include": "tidak ada istilah include",
    "why_no_require": "include cocok ({terms}) tetapi tidak ada istilah require",
    "why_excluded": "dikecualikan oleh {terms}",
    "pollnow_started": (
        "Mengambil semua feed… Hasilnya dikirim ke sini begitu selesai. Sementara itu Anda "
        "tetap bisa memakai perintah lain."
    ),
    "pollnow_running": (
        "Pengambilan semua feed masih berjalan. Hasilnya dikirim ke sini begitu selesai."
    ),
    "pollnow_done": "Selesai: {feeds} feed diambil, {new} berita baru, {errors} gagal.{details}",
    "stats": (
        "<b>Statistik Warta</b>\n"
        "Pelanggan: {subscribers} ({active} aktif, {paused} dijeda)\n"
        "Feed: {feeds} · Berita tersimpan: {items}\n\n"
        "<b>Berita per topik, 7 hari terakhir</b>\n{topics}"
    ),
    "menu_topics": "Pilih topik berita",
    "menu_digest": "Kirim ringkasan sekarang",
    "menu_latest": "Berita terbaru",
    "menu_setelan": "Berapa berita per topik",
    "menu_cari": "Cari berita lama",
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
    "topic_effect": "Dampak pada berita 7 hari terakhir: +{gained}, −{lost}.",
    "topic_effect_retag": (
        "Aturan ini berlaku untuk berita yang masuk berikutnya. Ketik /retag untuk "
        "menerapkannya juga pada berita yang sudah tersimpan."
    ),
    "retag_usage": (
        "Format: <code>/retag</code> atau <code>/retag &lt;hari&gt;</code> (1 sampai 90),"
        " misalnya <code>/retag 14</code>."
    ),
    "retag_done": "Berita {days} terakhir sudah ditandai ulang dengan aturan terkini.",
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
    "importopml_too_many": (
        "Berkas OPML itu berisi lebih dari {limit} feed. Silakan bagi menjadi beberapa berkas."
    ),
    "importopml_bad_file": "Berkas itu bukan OPML yang dapat dibaca.",
    "importopml_started": "Memeriksa {count} dari berkas OPML…",
    "importopml_done": (
        "Impor selesai: {added} ditambahkan, {duplicate} sudah ada, {failed} gagal.{details}"
    ),
    "exportopml_caption": "Daftar {count} Warta (OPML).",
    "digest_also": "Juga diberitakan:",
    "stats_upkeep": (
        "\nAktif selama {uptime} · Basis data: {size} MB\n"
        "Berita tertua yang disimpan: {oldest} (berita disimpan {days})"
    ),
    "uptime_days": "{days} hari {hours} jam",
    "uptime_hours": "{hours} jam {minutes} menit",
    "uptime_minutes": "{minutes} menit",
    "stats_chart_caption": (
        "Grafik {days} terakhir (per hari, {zone}). Berita per topik: {topics}. "
        "Pesan ringkasan terkirim: {messages}."
    ),
    "stats_chart_failed": "Grafik statistik gagal dibuat kali ini. Angka di atas tetap berlaku.",
    "chart_items_title": "Berita per topik per hari, {days} terakhir",
    "chart_items_axis": "Jumlah berita",
    "chart_messages_title": "Pesan ringkasan terkirim per hari",
    "chart_messages_axis": "Pesan",
    "chart_other": "Lainnya",
    "stats_no_run": "Belum ada pengiriman ringkasan terjadwal.",
    "stats_last_run": (
        "<b>Pengiriman terjadwal terakhir</b> ({when})\n"
        "Jatuh tempo: {due} · terkirim: {sent} · tanpa berita baru: {empty} · "
        "gagal: {failed}{reasons}\n"
    ),
    "stats_run_pace": "{messages} dalam {seconds} detik ({rate} pesan/detik)",
    "stats_run_quick": "{messages} dalam kurang dari 1 detik",
    "reason_blocked": "diblokir",
    "reason_error": "gangguan",
    "reason_later": "tertunda",
    "reason_rejected": "ditolak Telegram",
    "reason_expired": "kedaluwarsa",
    "stats_run_dropped": "\nJadwal yang terlewat saat bot mati dan tidak dikirim susulan: {dropped}",
    "stats_run_waiting": "\nMasih menunggu di antrean kirim (dicoba lagi nanti): {waiting} pesan",
    "group_admins_only": "Di grup, pengaturan Warta hanya dapat diubah oleh admin grup.",
    "rule_bad_threshold": (
        "Ambang harus berupa angka dari {low} sampai {high}, misalnya "
        "<code>/topic education threshold 3</code>. “{value}” bukan angka yang bisa dipakai."
    ),
    "rule_slug": (
        "Slug {slug} tidak dapat dipakai: gunakan 2 sampai 32 huruf kecil, angka atau "
        "garis bawah, misalnya <code>kesehatan</code> atau <code>kerja_sama</code>."
    ),
    "rule_no_terms": (
        "Belum ada istilah. Pisahkan istilah dengan koma, misalnya <code>beasiswa, guru</code>."
    ),
    "rule_empty_term": ("Istilah ke-{position} kosong (ada dua koma berturut-turut?)."),
    "rule_too_long": ("Istilah {term}… lebih panjang dari {limit} karakter."),
    "rule_star_inside": (
        "Pada {term}, tanda * hanya boleh di akhir istilah, misalnya <code>investasi*</code>."
    ),
    "rule_root_mark": (
        "Pada {term}, tanda ~ menandai kata dasar agar semua turunannya ikut cocok "
        "(<code>~sepakat</code> untuk kesepakatan, menyepakati); tanda itu tidak bisa dipakai "
        "bersama * atau daftar @."
    ),
    "rule_star_after_list": ("Pada {term}, tanda * harus mengikuti kata, bukan daftar."),
    "rule_short_stem": ("Kata dasar {term} terlalu pendek: minimal {limit} huruf sebelum *."),
    "rule_bad_list_name": ("{term} bukan nama daftar yang sah."),
    "rule_unknown_list": ("Daftar {term} tidak dikenal. Daftar yang ada: {lists}."),
    "rule_two_lists": ("{term} merujuk lebih dari satu daftar; pakai satu daftar per istilah."),
    "rule_no_letters": ("Istilah {term} tidak mengandung huruf atau angka."),
    "channel_private_only": (
        "Kanal diatur lewat obrolan pribadi dengan Warta. Silakan kirim "
        "<code>/channel @namakanal</code> kepada Warta secara pribadi."
    ),
    "channel_usage": (
        "<b>Memasang Warta di kanal Anda</b>\n"
        "1. Jadikan Warta admin kanal dengan izin mengirim pesan.\n"
        "2. Di obrolan ini, kirim <code>/channel @namakanal</code>.\n\n"
        "Setelah itu, atur kanal dengan:\n"
        "<code>/channel @namakanal topik kaltim, pendidikan</code>\n"
        "<code>/channel @namakanal jadwal 07.00, 19.00</code>\n"
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
        "Jadwal: setiap hari pukul {times} {timezone}\n"
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
        "Tulis jamnya, misalnya "
        "<code>/channel @namakanal jadwal 07.00, 19.00</code>, atau <code>jadwal mati</code> "
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
        "Ringkasan untuk {name} belum terkirim. Pastikan Warta masih admin kanal itu. Bila "
        "Telegram sedang terganggu, ringkasan akan dikirim ulang otomatis."
    ),
    # --- /cari: search of past news ---
    "search_word_topic": "topik",
    "search_word_outlet": "media",
    "search_usage": (
        "Tulis kata yang dicari, misalnya <code>/cari banjir samarinda</code>.\n"
        "Awalan kata: <code>investasi*</code> (juga investasinya, investasikan). "
        'Frasa utuh dalam tanda kutip: <code>"kerja sama"</code>.\n'
        "Saring per topik atau media: <code>/cari banjir topik:kaltim media:antara</code>."
    ),
    "search_too_long": (
        "Kata pencariannya terlalu panjang. Silakan persingkat, paling banyak {limit} huruf."
    ),
    "search_too_many": "Kata pencariannya terlalu banyak. Silakan cari dengan paling banyak "
    "{limit} kata.",
    "search_short_prefix": (
        "Kata berbintang perlu paling sedikit {limit} huruf sebelum tanda *, misalnya "
        "<code>investasi*</code>."
    ),
    "search_expired": "Pencarian ini sudah kedaluwarsa. Silakan cari lagi dengan /cari.",
    "search_too_many_prefixes": (
        "Kata berbintang (*) dalam satu pencarian paling banyak {limit}. Silakan tulis "
        "sebagian kata itu dengan lengkap."
    ),
    "search_too_costly": (
        "Maaf, pencarian ini terlalu luas untuk dijawab sekarang. Silakan tambahkan kata yang "
        "lebih khusus, atau kurangi kata berbintang (*)."
    ),
    "search_none": "Tidak ada berita yang cocok dengan «{query}».",
    "search_header": (
        "<b>Hasil pencarian «{query}»</b>\n{total}, terbaru lebih dulu · "
        "halaman {page} dari {pages}"
    ),
    "search_header_many": (
        "<b>Hasil pencarian «{query}»</b>\nLebih dari {total}, terbaru lebih dulu · halaman {page}"
    ),
    "search_previous": "« Sebelumnya",
    "search_next": "Berikutnya »",
    # --- /pantau, /lepas, /segera, /senyap: urgent alerts ---
    "watch_usage": (
        "Tulis kata yang ingin dipantau, misalnya <code>/pantau banjir samarinda</code> "
        "atau <code>/pantau PPDB</code>. Berita yang memuat semua kata itu langsung "
        "dikirim begitu terbit, tanpa menunggu ringkasan. Frasa utuh dalam tanda kutip: "
        '<code>/pantau "jalan poros"</code>. Pisahkan beberapa pantauan dengan koma.'
    ),
    "watch_list": "<b>Kata pantauan Anda</b> ({count} dari {limit})\n{words}\n\n"
    "Hapus dengan, misalnya, <code>/lepas {example}</code>.",
    "watch_none": (
        "Anda belum punya kata pantauan. Untuk menambah, ketik misalnya "
        "<code>/pantau banjir samarinda</code>."
    ),
    "watch_added": "Siap! Warta akan segera mengirim berita tentang: {words}.",
    "watch_known": "Kata itu sudah Anda pantau: {words}.",
    "watch_limit": (
        "Kata pantauan Anda sudah {limit}, batas maksimal. Hapus dulu salah satunya dengan /lepas."
    ),
    "watch_bad": "Kata pantauan «{words}» tidak bisa dipakai. {reason}",
    "watch_too_costly": (
        "Kata pantauan Anda sudah terlalu banyak atau terlalu panjang, jadi «{words}» belum "
        "bisa ditambahkan. Hapus yang tidak perlu dengan /lepas, atau pakai kata yang lebih "
        "pendek."
    ),
    "watch_full": (
        "Maaf, daftar pantauan Warta sedang penuh, jadi «{words}» belum bisa ditambahkan. "
        "Silakan coba lagi nanti."
    ),
    "unwatch_usage": "Tulis kata pantauan yang ingin dihapus, misalnya "
    "<code>/lepas banjir samarinda</code>. Daftarnya ada di /pantau.",
    "unwatch_done": "Kata pantauan «{words}» sudah dihapus.",
    "unwatch_unknown": "«{words}» tidak ada di kata pantauan Anda. Daftarnya ada di /pantau.",
    "urgent_usage": (
        "Sebutkan topik yang beritanya ingin langsung dikirim, misalnya "
        "<code>/segera kaltim</code>. Ketik lagi perintah yang sama untuk mematikannya."
    ),
    "urgent_on": (
        "Siap! Berita topik {topic} akan langsung dikirim begitu terbit, tidak menunggu ringkasan."
    ),
    "urgent_off": "Berita topik {topic} kembali dikirim lewat ringkasan saja.",
    "urgent_not_followed": (
        "Anda belum mengikuti topik {topic}. Ikuti dulu dengan <code>/subscribe {slug}</code>."
    ),
    "urgent_list": "Topik yang dikirim segera: {topics}.",
    "quiet_usage": (
        "Tulis jam senyapnya, misalnya <code>/senyap 22.00-05.00</code>. Selama jam itu Warta "
        "menahan berita segera dan mengirimnya sekaligus sesudahnya. "
        "<code>/senyap mati</code> untuk mematikannya."
    ),
    "quiet_set": "Siap! Jam senyap pukul {start}–{end} {zone}. Berita segera yang masuk "
    "pada jam itu dikirim sekaligus sesudahnya.",
    "quiet_off": "Jam senyap dimatikan. Berita segera dikirim kapan pun terbit.",
    "quiet_show": "Jam senyap Anda: pukul {start}–{end} {zone}. "
    "<code>/senyap mati</code> untuk mematikannya.",
    "quiet_none": "Jam senyap belum diatur. Untuk mengatur, ketik misalnya "
    "<code>/senyap 22.00-05.00</code>.",
    "quiet_off_words": "mati,nonaktif,off",
    "rule_too_many_terms": "Satu pantauan paling banyak berisi {limit} kata.",
    "rule_list_in_phrase": (
        "Daftar {list} harus berdiri sendiri, tidak di dalam frasa. Tulis misalnya "
        "«/pantau {list} banjir»: berita yang menyebut salah satu isi daftar itu "
        "dan kata banjir."
    ),
    "top_header": "<b>Paling banyak diberitakan</b> (24 jam terakhir)",
    "top_outlets": "📰 {count} media",
    "top_none": "Belum ada berita yang diberitakan lebih dari satu media dalam 24 jam terakhir.",
    "menu_top": "Paling banyak diberitakan",
    # --- /schedule with days, and the weekly digest ---
    "schedule_day_words": "senin,selasa,rabu,kamis,jumat,sabtu,minggu",
    "schedule_weekly_words": "mingguan",
    "schedule_every_day": "setiap hari",
    "schedule_weekly": "mingguan, setiap {day}",
    "schedule_show_days": "Ringkasan dikirim (waktu {timezone}) pukul {times}.{paused}",
    "schedule_set_days": "Jadwal diperbarui: ringkasan dikirim (waktu {timezone}) pukul {times}.",
    "weekly_intro": (
        "📅 <b>Ringkasan mingguan</b>\nBerita yang paling banyak diberitakan sepekan terakhir, "
        "per topik."
    ),
    "alert_watch": "🔔 <b>Berita segera</b> · pantauan «{words}»",
    "alert_topic": "🔔 <b>Berita segera</b> · topik {topic}",
    "alert_folded": "🔔 <b>{count}</b>",
    "alert_held": "🔔 <b>{count} selama jam senyap</b>",
    # Issue 12: a digest that fits a phone, and the first minute.
    # Indonesian nouns do not change for one; the _one forms exist so both locales have the
    # same keys (tests/test_locales.py).
    "n_stories_one": "{n} berita",
    "n_stories_other": "{n} berita",
    "n_outlets_one": "{n} media",
    "n_outlets_other": "{n} media",
    "n_items_one": "{n} berita",
    "n_items_other": "{n} berita",
    "n_feeds_one": "{n} feed",
    "n_feeds_other": "{n} feed",
    "n_minutes_one": "{n} menit",
    "n_minutes_other": "{n} menit",
    "n_days_one": "{n} hari",
    "n_days_other": "{n} hari",
    "n_chats_one": "{n} obrolan",
    "n_chats_other": "{n} obrolan",
    "n_messages_one": "{n} pesan",
    "n_messages_other": "{n} pesan",
    "n_urgent_one": "{n} berita segera",
    "n_urgent_other": "{n} berita segera",
    "n_urgent_more_one": "+{n} berita segera lain",
    "n_urgent_more_other": "+{n} berita segera lain",
    "n_more_one": "+{n} berita lain",
    "n_more_other": "+{n} berita lain",
    "digest_more": "<i>{more} — {command}</i>",
    "digest_footer": "Atur: /topics · /schedule · /pause",
    "cap_header": (
        "<b>Setelan ringkasan</b>\nBerapa berita per topik yang ingin Anda baca di setiap "
        "ringkasan? Sekarang: {cap}. Berita lainnya tetap bisa dibaca lewat /latest."
    ),
    "cap_all": "semua",
    "cap_set": "Siap! Setiap ringkasan kini memuat {cap} berita per topik.",
    "cap_set_all": "Siap! Setiap ringkasan kini memuat semua berita baru per topik.",
    "region_only_button": "📍 Hanya berita {regions}",
    "region_only_need_region": "Ikuti dulu topik wilayah, misalnya Kaltim.",
    "language_button": "🇬🇧 English",
    "done_button": "Selesai ✔️",
    "wilayah_on": (
        "Siap! Topik lain Anda kini hanya memuat berita {regions}. Ketik /wilayah lagi untuk "
        "berita dari mana saja."
    ),
    "wilayah_off": "Baik, topik Anda kembali memuat berita dari mana saja.",
    "wilayah_need_region": (
        "Ikuti dulu topik wilayah, misalnya Kaltim, lewat /topics. Setelah itu ketik /wilayah."
    ),
    "region_usage": (
        "Format: <code>/region samarinda</code> menjadikan topik itu wilayah, "
        "<code>/region samarinda off</code> mengembalikannya menjadi topik biasa."
    ),
    "region_set": "{name} sekarang topik wilayah.",
    "subject_set": "{name} sekarang topik biasa (bukan wilayah).",
    "topicname_usage": (
        "Format: <code>/topicname &lt;slug&gt; &lt;nama dalam bahasa Inggris&gt;</code>, "
        "misalnya <code>/topicname education Education</code>."
    ),
    "topicname_set": "Nama Inggris untuk {name}: {name_en}.",
    "feedname_usage": (
        "Format: <code>/feedname &lt;id&gt; &lt;nama media&gt;</code>, misalnya "
        "<code>/feedname 3 Tribun Kaltim</code>. Lihat id di /feeds."
    ),
    "feedname_set": "Berita dari feed {id} kini ditampilkan dengan nama media {outlet}.",
    "today": "hari ini",
    "tomorrow": "besok",
    "onboarding_need_topic": "Pilih minimal satu topik dulu, lalu ketuk Selesai.",
    "onboarding_done": (
        "Siap! Anda mengikuti: {topics}.\n"
        "Ringkasan pertama datang {day} pukul {time} {zone}. Mau membaca sekarang?\n\n"
        "Jam kiriman bisa diubah dengan /schedule, topik dengan /topics."
    ),
    "onboarding_done_unscheduled": (
        "Siap! Anda mengikuti: {topics}.\nRingkasan terjadwal sedang mati. Ketik /digest "
        "kapan saja, atau nyalakan dengan /schedule 07.00."
    ),
    "digest_now_button": "📰 Kirim ringkasan sekarang",
    "digest_group_members": (
        "Di grup, ringkasan dikirim sesuai jadwal atau diminta oleh admin grup. "
        "Untuk membaca berita terbaru sekarang, ketik /latest."
    ),
    "stop_confirm": (
        "Yakin ingin berhenti? Semua data obrolan ini (topik, jadwal, riwayat kiriman) akan "
        "dihapus. Kalau hanya ingin libur sebentar, ketik /pause."
    ),
    "stop_yes": "Ya, hapus data saya",
    "stop_no": "Batal",
    "stop_cancelled": "Baik, tidak ada yang dihapus. Warta tetap mengirim ringkasan Anda.",
    # Issue 10: the words code used to hold. Lists are comma-separated, no spaces.
    "list_and": " dan ",
    "clock_separator": ".",
    "decimal_separator": ",",
    "thousands_separator": ".",
    "day_names": "Senin,Selasa,Rabu,Kamis,Jumat,Sabtu,Minggu",
    "month_names": (
        "Januari,Februari,Maret,April,Mei,Juni,Juli,Agustus,September,Oktober,November,Desember"
    ),
    # What a reader may type; every language's words are accepted in every chat.
    "schedule_off_words": "mati,nonaktif",
    "region_off_words": "mati,tidak",
    "cap_all_words": "semua,0",
    "channel_action_topics": "topik",
    "channel_action_schedule": "jadwal",
    "channel_action_timezone": "zona",
    "channel_action_language": "bahasa",
    "channel_action_digest": "kirim",
    "channel_action_pause": "jeda",
    "channel_action_resume": "lanjut",
    "channel_action_stop": "berhenti",
}
