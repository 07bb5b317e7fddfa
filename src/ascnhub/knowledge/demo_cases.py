"""A dozen best-practice cases for the demo: drawn from public examples of ASCN cities and of
Japanese domestic smart cities, written here as demo data (summaries in our own words, in the
language a city would write them in; figures are rounded or left out)."""

# (slug, title, city slug or "", place, country, focus area, language, year,
#  problem, solution, results, partners)
CASES = [
    (
        "makassar-war-room",
        "Makassar War Room: satu layar untuk layanan kota",
        "makassar",
        "",
        "ID",
        "civic_social",
        "id",
        2016,
        "Keluhan warga tentang jalan rusak, sampah dan banjir datang lewat banyak saluran dan sering tidak "
        "ditindaklanjuti; dinas-dinas tidak berbagi data.",
        "Kota membangun pusat kendali (War Room) yang menggabungkan kamera CCTV, laporan warga dan data dinas "
        "dalam satu dasbor, dengan petugas yang meneruskan setiap laporan ke dinas yang bertanggung jawab.",
        "Laporan warga ditangani lebih cepat dan pimpinan kota memantau layanan setiap hari dari satu tempat.",
        "Pemerintah Kota Makassar; operator telekomunikasi",
    ),
    (
        "banyuwangi-smart-kampung",
        "Smart Kampung Banyuwangi: layanan publik sampai ke desa",
        "banyuwangi",
        "",
        "ID",
        "civic_social",
        "id",
        2016,
        "Warga desa harus pergi jauh ke kantor kabupaten untuk mengurus dokumen kependudukan dan izin, dan "
        "akses internet di desa terbatas.",
        "Kabupaten menghubungkan kantor desa dengan serat optik dan memindahkan layanan administrasi, kesehatan "
        "dan pendidikan ke desa melalui aplikasi terpadu.",
        "Dokumen dapat diurus di desa dalam hitungan hari; program ini menjadi contoh nasional untuk desa "
        "digital.",
        "Pemerintah Kabupaten Banyuwangi; penyedia jaringan",
    ),
    (
        "da-nang-ioc",
        "Trung tâm điều hành thông minh Đà Nẵng",
        "da-nang",
        "",
        "VN",
        "safety_security",
        "vi",
        2019,
        "Giao thông, an ninh và phản ánh của người dân được các sở xử lý riêng rẽ; thành phố thiếu một bức "
        "tranh chung theo thời gian thực.",
        "Thành phố xây dựng trung tâm điều hành thông minh (IOC) kết nối camera giao thông, hệ thống giám sát "
        "tàu cá, cấp nước và cổng tiếp nhận phản ánh của người dân trên một nền tảng dữ liệu dùng chung.",
        "Các sự cố giao thông và phản ánh được điều phối nhanh hơn; Đà Nẵng nhiều lần dẫn đầu bảng xếp hạng "
        "chính quyền số của Việt Nam.",
        "UBND thành phố Đà Nẵng; doanh nghiệp công nghệ",
    ),
    (
        "singapore-virtual-singapore",
        "Virtual Singapore: a 3D digital twin for planning",
        "singapore",
        "",
        "SG",
        "built_infrastructure",
        "en",
        2018,
        "Planners and agencies tested new buildings, solar potential and crowd flows on separate, outdated maps "
        "and models.",
        "A shared, semantic 3D model of the city state, built from aerial and street-level surveys, lets "
        "agencies simulate shade, wind, solar yield and accessibility before they build.",
        "Agencies reuse one model for many studies; planning questions are answered with simulations rather "
        "than assumptions.",
        "National Research Foundation; Singapore Land Authority; Government Technology Agency",
    ),
    (
        "bangkok-traffy-fondue",
        "Traffy Fondue: แพลตฟอร์มรับเรื่องร้องเรียนของกรุงเทพฯ",
        "bangkok",
        "",
        "TH",
        "civic_social",
        "th",
        2022,
        "ปัญหาในเมือง เช่น ทางเท้าชำรุด ไฟดับ น้ำท่วมขัง ถูกแจ้งผ่านหลายช่องทาง และประชาชนไม่รู้ว่าเรื่องไปถึงใคร",
        "ประชาชนถ่ายภาพและปักหมุดปัญหาผ่าน LINE แพลตฟอร์มส่งเรื่องถึงเขตและหน่วยงานที่รับผิดชอบโดยตรง "
        "และแสดงสถานะการแก้ไขต่อสาธารณะ",
        "มีเรื่องร้องเรียนหลายแสนเรื่องที่ได้รับการแก้ไข และประชาชนติดตามความคืบหน้าได้แบบเปิดเผย",
        "กรุงเทพมหานคร; ศูนย์เทคโนโลยีอิเล็กทรอนิกส์และคอมพิวเตอร์แห่งชาติ (NECTEC)",
    ),
    (
        "kuching-hydrogen-buses",
        "Kuching: hydrogen buses for clean public transport",
        "kuching",
        "",
        "MY",
        "quality_environment",
        "en",
        2020,
        "Diesel buses add to air pollution and carbon emissions while the state has abundant hydropower.",
        "The state used hydropower to produce hydrogen and introduced fuel-cell buses on city routes, with a "
        "refuelling station, as the first step of a hydrogen economy.",
        "Zero-emission buses run in regular service; the project is the base for an autonomous rapid transit "
        "line on hydrogen.",
        "Sarawak state government; Sarawak Economic Development Corporation",
    ),
    (
        "kuala-lumpur-smart-parking",
        "Kuala Lumpur: tempat letak kereta pintar dan data trafik",
        "kuala-lumpur",
        "",
        "MY",
        "built_infrastructure",
        "ms",
        2021,
        "Pemandu berpusing-pusing mencari tempat letak kereta di pusat bandar, menambah kesesakan dan "
        "pencemaran.",
        "Bandar raya memasang penderia dan aplikasi bayaran letak kereta yang menunjukkan petak kosong, dan "
        "menggunakan data tersebut untuk merancang trafik.",
        "Masa mencari tempat letak kereta berkurang dan kutipan bayaran menjadi lebih telus.",
        "Dewan Bandaraya Kuala Lumpur; syarikat teknologi tempatan",
    ),
    (
        "phuket-city-data-platform",
        "Phuket City Data Platform: open data for a tourist island",
        "phuket",
        "",
        "TH",
        "industry_innovation",
        "en",
        2020,
        "Tourism, traffic and environment data sat with different agencies; businesses and residents could not "
        "plan with it.",
        "The province opened a city data platform that gathers sensor, tourism and public-service data and "
        "publishes dashboards and open data sets for start-ups and researchers.",
        "Agencies plan with shared figures; local start-ups build services on the open data.",
        "Phuket Province; Digital Economy Promotion Agency",
    ),
    (
        "kashiwanoha-aems",
        "柏の葉スマートシティ：街区をまたぐエネルギー管理",
        "",
        "柏市（千葉県）",
        "JP",
        "quality_environment",
        "ja",
        2014,
        "新しい街で電力需要が増える一方、災害時の停電への備えと二酸化炭素の削減が求められていた。",
        "公・民・学の連携により、街区ごとの太陽光発電と蓄電池を自営送電線で結び、エリアエネルギー管理"
        "システム（AEMS）で電力を融通する。",
        "ピーク電力を削減し、停電時にも生活に必要な電力を確保できるようになった。",
        "柏市、東京大学、千葉大学、民間事業者",
    ),
    (
        "aizuwakamatsu-smart-city",
        "会津若松スマートシティ：市民が選ぶデータ活用",
        "",
        "会津若松市（福島県）",
        "JP",
        "civic_social",
        "ja",
        2019,
        "人口減少と高齢化が進み、行政サービスを一人ひとりに合った形で届けることが難しくなっていた。",
        "市民が自ら同意（オプトイン）したデータだけを使う都市OSを整え、地域ポータルで子育て、除雪、"
        "防災などの情報を一人ひとりに合わせて届ける。",
        "多くの市民がポータルに登録し、データ活用の透明性が市民参加型スマートシティのモデルとなった。",
        "会津若松市、会津大学、民間事業者",
    ),
    (
        "toyama-compact-city",
        "富山市：LRTを軸にしたコンパクトなまちづくり",
        "",
        "富山市（富山県）",
        "JP",
        "built_infrastructure",
        "ja",
        2006,
        "自動車に頼った市街地の拡散で、中心部が衰退し、高齢者の移動が難しくなっていた。",
        "廃線予定の鉄道をLRT（ライトレール）に転換し、公共交通沿線に住まいと都市機能を誘導する"
        "「串と団子」型のまちづくりを進めた。",
        "公共交通の利用者と中心部の人口が増え、高齢者の外出機会も増えた。",
        "富山市、富山ライトレール株式会社",
    ),
    (
        "takamatsu-iot-disaster",
        "高松市：IoTで水位と潮位を見える化する防災",
        "",
        "高松市（香川県）",
        "JP",
        "safety_security",
        "ja",
        2017,
        "高潮や大雨の際、水位や避難所の状況を把握するのに時間がかかり、避難の判断が遅れるおそれがあった。",
        "FIWAREを使ったIoT共通プラットフォームを整え、水位・潮位センサーや避難所の情報を集めて、"
        "防災担当が一つの画面で確認できるようにした。",
        "災害時の状況把握が早くなり、同じ基盤を観光や交通のデータにも使えるようになった。",
        "高松市、民間事業者",
    ),
]
