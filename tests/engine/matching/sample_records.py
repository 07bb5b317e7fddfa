"""Needs and offers written for these tests, on problems chosen to differ from the benchmark's topics.

Eight needs and ten offers: enough texts on each side (8) for the reasons that compare a pair against
the rest of the batch (close titles, a shared sub-theme) to be stated at all. Each need has one offer
written to answer it; `DESALINATION_EN` shares the salinity need's vocabulary but not its purpose,
and `OWN_SALINITY_OFFER` is published by the same organisation as the salinity need. Texts are short,
to keep the suite fast on two cores.
"""

from __future__ import annotations

from ascnhub.engine.matching import Need, Offer

SALINITY_NEED_VI = Need(
    id="n-ct-salinity",
    city="Can Tho",
    country="VN",
    language="vi",
    title="Giám sát xâm nhập mặn trên kênh rạch",
    description=(
        "Mùa khô, nước mặn lấn sâu vào kênh rạch và làm hỏng lúa, cây ăn trái. Thành phố cần cảm "
        "biến đo độ mặn "
        "tự động trên các kênh chính và nhắn tin cảnh báo cho nông dân và nhà máy nước khi độ mặn "
        "vượt ngưỡng."
    ),
    focus_areas=("quality_environment", "industry_innovation"),
    stage="planning",
    budget_usd=250000,
    organisation="Can Tho City People's Committee",
)

QUEUE_NEED_TH = Need(
    id="n-kk-queue",
    city="Khon Kaen",
    country="TH",
    language="th",
    title="ระบบจองคิวออนไลน์สำหรับโรงพยาบาลเทศบาล",
    description=(
        "ผู้ป่วยนอกต้องมารอคิวที่โรงพยาบาลเทศบาลตั้งแต่เช้ามืด "
        "เทศบาลต้องการให้ประชาชนจองเวลาตรวจผ่านโทรศัพท์มือถือ "
        "และได้รับแจ้งเตือนเมื่อใกล้ถึงคิวของตน"
    ),
    focus_areas=("health_wellbeing",),
    stage="idea",
)

TREES_NEED_ID = Need(
    id="n-mks-trees",
    city="Makassar",
    country="ID",
    language="id",
    title="Pendataan pohon kota dan pencegahan pohon tumbang",
    description=(
        "Setiap musim hujan beberapa pohon peneduh tumbang dan menimpa kendaraan. Dinas lingkungan "
        "hidup ingin "
        "mendata semua pohon di tepi jalan, menilai kesehatan dan risiko tumbangnya, dan "
        "menjadwalkan pemangkasan."
    ),
    focus_areas=("quality_environment", "safety_security"),
)

WIFI_NEED_EN = Need(
    id="n-ilo-wifi",
    city="Iloilo",
    country="PH",
    language="en",
    title="Free public Wi-Fi in markets, plazas and the river esplanade",
    description=(
        "Vendors and visitors have weak mobile signal in the central market and along the esplanade. "
        "The city "
        "wants reliable free Wi-Fi there, managed centrally, with fair-use limits and usage statistics."
    ),
    focus_areas=("built_infrastructure", "civic_social"),
)

NOISE_NEED_MS = Need(
    id="n-kch-noise",
    city="Kuching",
    country="MY",
    language="ms",
    title="Pemantauan bunyi bising di kawasan kediaman",
    description=(
        "Penduduk kerap mengadu tentang bunyi bising dari tapak pembinaan dan pusat hiburan pada "
        "waktu malam. "
        "Majlis bandaraya mahu mengukur paras bunyi secara berterusan dan menyiasat aduan berdasarkan data."
    ),
    focus_areas=("quality_environment", "health_wellbeing"),
)

FIRE_NEED_TL = Need(
    id="n-ceb-fire",
    city="Cebu City",
    country="PH",
    language="tl",
    title="Maagang babala sa sunog sa masisikip na barangay",
    description=(
        "Mabilis kumalat ang sunog sa mga bahay na magkakadikit. Nais ng lungsod na maglagay ng mga "
        "smoke detector "
        "na awtomatikong nag-aabiso sa barangay at sa bumbero kapag may usok, kahit walang tao sa bahay."
    ),
    focus_areas=("safety_security",),
)

PRICES_NEED_ID = Need(
    id="n-smg-prices",
    city="Semarang",
    country="ID",
    language="id",
    title="Informasi harga bahan pokok di pasar tradisional",
    description=(
        "Harga beras, cabai dan bawang sering melonjak tanpa diketahui pemerintah kota. Dinas "
        "perdagangan ingin "
        "mengumpulkan harga harian dari setiap pasar dan menampilkannya kepada warga."
    ),
    focus_areas=("industry_innovation", "civic_social"),
)

BIKES_NEED_EN = Need(
    id="n-bsb-bikes",
    city="Bandar Seri Begawan",
    country="BN",
    language="en",
    title="Bicycle sharing for short trips in the city centre",
    description=(
        "Most trips in the centre are under three kilometres but almost all are made by car. The "
        "municipality "
        "wants docked and dockless shared bicycles that residents can unlock with a phone."
    ),
    focus_areas=("built_infrastructure", "quality_environment"),
)

SALINITY_SENSOR_JA = Offer(
    id="o-jp-salinity",
    organisation="株式会社シオミル",
    country="JP",
    language="ja",
    title="河川・水路の塩分濃度センサーと自動アラート",
    description=(
        "水路に設置した電気伝導度センサーで塩分濃度を常時測定し、しきい値を超えると農家や浄水場に"
        "SMSとアプリで自動通知します。太陽光で動き、通信圏外でも記録を保存します。"
    ),
    focus_areas=("quality_environment", "industry_innovation"),
    deployed_in=("JP", "VN"),
)

DESALINATION_EN = Offer(
    id="o-sg-desal",
    organisation="Brinewell Systems Pte. Ltd.",
    country="SG",
    language="en",
    title="Containerised seawater desalination units for island resorts",
    description=(
        "Our reverse-osmosis units turn seawater into drinking water for hotels and resorts on small "
        "islands, "
        "delivered in a shipping container and operated under a water-supply contract."
    ),
    focus_areas=("quality_environment", "built_infrastructure"),
    deployed_in=("SG", "MY"),
)

QUEUE_APP_KO = Offer(
    id="o-kr-queue",
    organisation="메디줄 주식회사",
    country="KR",
    language="ko",
    title="병원 외래 진료 모바일 예약 및 대기 순번 알림",
    description=(
        "환자가 스마트폰으로 외래 진료 시간을 예약하고, 자기 차례가 가까워지면 알림을 받습니다. "
        "병원은 대기실 혼잡을 줄이고 진료 일정을 효율적으로 관리할 수 있습니다."
    ),
    focus_areas=("health_wellbeing",),
    deployed_in=("KR",),
)

TREE_CARE_JA = Offer(
    id="o-jp-trees",
    organisation="グリーンドクター株式会社",
    country="JP",
    language="ja",
    title="街路樹の健全度診断と倒木リスク管理システム",
    description=(
        "樹木医の診断とAI画像解析で街路樹一本ごとの健全度と倒木リスクを評価し、台帳と地図で管理します。"
        "剪定や植え替えの優先順位と作業計画も作成します。"
    ),
    focus_areas=("quality_environment", "safety_security"),
    deployed_in=("JP",),
)

WIFI_EN = Offer(
    id="o-en-wifi",
    organisation="OpenAir Networks Inc.",
    country="PH",
    language="en",
    title="Managed public Wi-Fi hotspots for local governments",
    description=(
        "We install and operate outdoor Wi-Fi access points in public spaces, with a captive portal, "
        "bandwidth "
        "limits per user and a dashboard of connections, for a monthly fee."
    ),
    focus_areas=("built_infrastructure", "civic_social"),
    deployed_in=("PH", "ID"),
)

NOISE_SENSOR_JA = Offer(
    id="o-jp-noise",
    organisation="株式会社サウンドマップ",
    country="JP",
    language="ja",
    title="騒音センサーネットワークと苦情対応ダッシュボード",
    description=(
        "住宅地や工事現場の周辺に騒音計を設置し、騒音レベルを24時間記録します。"
        "住民からの苦情と測定データを照合し、自治体の調査と指導を支援します。"
    ),
    focus_areas=("quality_environment", "health_wellbeing"),
    deployed_in=("JP", "MY"),
)

SMOKE_ALARM_KO = Offer(
    id="o-kr-smoke",
    organisation="세이프홈 주식회사",
    country="KR",
    language="ko",
    title="자동 신고 기능이 있는 IoT 화재 감지기",
    description=(
        "연기와 열을 감지하면 집에 아무도 없어도 관할 소방서와 주민 대표에게 자동으로 알리는 "
        "무선 화재 감지기입니다. 밀집 주거 지역의 초기 진화를 돕습니다."
    ),
    focus_areas=("safety_security",),
    deployed_in=("KR", "PH"),
)

PRICE_BOARD_EN = Offer(
    id="o-en-prices",
    organisation="Pasarview Analytics",
    country="ID",
    language="en",
    title="Daily market price collection app and public price board",
    description=(
        "Market officers record the prices of staple foods each morning in a mobile app; the city publishes "
        "them on a website and on screens in the markets, with alerts when a price jumps."
    ),
    focus_areas=("industry_innovation", "civic_social"),
    deployed_in=("ID",),
)

BIKE_SHARE_JA = Offer(
    id="o-jp-bikes",
    organisation="株式会社チャリネット",
    country="JP",
    language="ja",
    title="スマートフォンで借りられるシェアサイクルの導入と運営",
    description=(
        "アプリで解錠できる自転車とポートを設置し、都市中心部の短距離移動を支えます。"
        "利用データから需要に合わせて自転車を再配置します。"
    ),
    focus_areas=("built_infrastructure", "quality_environment"),
    deployed_in=("JP",),
)

# The city's own salinity platform, published as an offer by the same organisation as the need.
OWN_SALINITY_OFFER = Offer(
    id="o-ct-own",
    organisation="Can Tho City People's Committee",
    country="VN",
    language="vi",
    title="Nền tảng cảnh báo độ mặn của thành phố",
    description=(
        "Hệ thống cảm biến đo độ mặn và nhắn tin cảnh báo xâm nhập mặn cho nông dân do thành phố vận hành."
    ),
    focus_areas=("quality_environment",),
    deployed_in=("VN",),
)

NEEDS = [
    SALINITY_NEED_VI,
    QUEUE_NEED_TH,
    TREES_NEED_ID,
    WIFI_NEED_EN,
    NOISE_NEED_MS,
    FIRE_NEED_TL,
    PRICES_NEED_ID,
    BIKES_NEED_EN,
]
OFFERS = [
    DESALINATION_EN,
    SALINITY_SENSOR_JA,
    QUEUE_APP_KO,
    TREE_CARE_JA,
    WIFI_EN,
    NOISE_SENSOR_JA,
    SMOKE_ALARM_KO,
    PRICE_BOARD_EN,
    BIKE_SHARE_JA,
    OWN_SALINITY_OFFER,
]
#: Each need and the offer written to answer it.
ANSWERS = {
    SALINITY_NEED_VI.id: SALINITY_SENSOR_JA.id,
    QUEUE_NEED_TH.id: QUEUE_APP_KO.id,
    TREES_NEED_ID.id: TREE_CARE_JA.id,
    WIFI_NEED_EN.id: WIFI_EN.id,
    NOISE_NEED_MS.id: NOISE_SENSOR_JA.id,
    FIRE_NEED_TL.id: SMOKE_ALARM_KO.id,
    PRICES_NEED_ID.id: PRICE_BOARD_EN.id,
    BIKES_NEED_EN.id: BIKE_SHARE_JA.id,
}
