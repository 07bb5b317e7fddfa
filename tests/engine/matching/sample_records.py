"""Realistic needs and offers written for these tests (short, to keep the suite fast on two cores)."""

from __future__ import annotations

from ascnhub.engine.matching import Need, Offer

# Realistic records, written for these tests (short, to keep the suite fast on two cores).

FLOOD_NEED_VI = Need(
    id="n-dn-flood",
    city="Da Nang",
    country="VN",
    language="vi",
    title="Hệ thống cảnh báo sớm lũ lụt trên sông Cu Đê",
    description=(
        "Mỗi mùa mưa, người dân ven sông chỉ biết nước lên khi nước đã tràn vào nhà. "
        "Thành phố cần mạng lưới cảm biến đo mực nước tự động ở thượng nguồn và tự động gửi cảnh báo "
        "cho người dân qua loa, SMS khi mực nước vượt ngưỡng."
    ),
    focus_areas=("safety_security", "quality_environment"),
    stage="planning",
    budget_usd=300000,
    organisation="Da Nang City People's Committee",
)

AIR_NEED_TH = Need(
    id="n-cm-air",
    city="Chiang Mai",
    country="TH",
    language="th",
    title="เครือข่ายเซนเซอร์ตรวจวัดฝุ่น PM2.5 ในโรงเรียน",
    description="เทศบาลต้องการติดตั้งเซนเซอร์วัดฝุ่นราคาประหยัดในโรงเรียนและชุมชน และแสดงค่าฝุ่นแบบเรียลไทม์บนแดชบอร์ดสาธารณะ",
    focus_areas=("quality_environment", "health_wellbeing"),
    stage="idea",
)

ELDERLY_NEED_ID = Need(
    id="n-sby-elderly",
    city="Surabaya",
    country="ID",
    language="id",
    title="Pemantauan lansia yang tinggal sendirian",
    description=(
        "Banyak warga lanjut usia tinggal sendiri di kampung. Kelurahan ingin mengetahui lebih cepat jika "
        "seorang lansia jatuh sakit atau tidak beraktivitas seperti biasa, lalu memberi tahu keluarga dan "
        "kader."
    ),
    focus_areas=("health_wellbeing", "civic_social"),
)

FLOOD_SENSOR_JA = Offer(
    id="o-jp-river",
    organisation="株式会社ミズモリ",
    country="JP",
    language="ja",
    title="ソーラー駆動の河川水位センサーと住民への自動警報配信",
    description=(
        "太陽光で動く水位センサーを河川の上流と中流に設置し、水位をリアルタイムで送信します。"
        "水位が基準を超えると、サイレン・SMS・メッセージアプリで住民に自動的に警報を届けます。停電時も動作します。"
    ),
    focus_areas=("safety_security", "quality_environment"),
    deployed_in=("JP", "VN", "PH"),
)

FLOOD_INSURANCE_EN = Offer(
    id="o-sg-floodrisk",
    organisation="Riskgrid Analytics Pte. Ltd.",
    country="SG",
    language="en",
    title="Flood risk scoring for insurers and property portfolios",
    description=(
        "We estimate expected annual flood losses for every building from historical claims, terrain models "
        "and climate scenarios, so that insurers and banks can price flood insurance and mortgage risk."
    ),
    focus_areas=("industry_innovation", "safety_security"),
    deployed_in=("SG", "TH"),
)

LEAK_DETECTION_JA = Offer(
    id="o-jp-leak",
    organisation="株式会社アクアリスン",
    country="JP",
    language="ja",
    title="AI音響解析による水道管の漏水検知",
    description="水道管に取り付けた音響センサーの音をAIで解析し、地下の漏水箇所を特定します。水道事業者の無収水を減らします。",
    focus_areas=("built_infrastructure", "quality_environment"),
    deployed_in=("JP",),
)

PM25_SENSOR_JA = Offer(
    id="o-jp-pm25",
    organisation="株式会社クリアエア",
    country="JP",
    language="ja",
    title="低価格PM2.5センサーネットワークと公開ダッシュボード",
    description="校正済みの低価格PM2.5センサーを学校や地域に設置し、測定値をリアルタイムで公開ダッシュボードに表示します。",
    focus_areas=("quality_environment", "health_wellbeing"),
    deployed_in=("JP", "TH"),
)

ELDERLY_SPEAKER_KO = Offer(
    id="o-kr-care",
    organisation="케어온 주식회사",
    country="KR",
    language="ko",
    title="독거 어르신을 위한 AI 돌봄 스피커",
    description=(
        "혼자 사시는 어르신 댁에 AI 스피커를 설치해 안부를 묻고, "
        "오랫동안 활동이 없으면 가족과 복지 담당자에게 알립니다."
    ),
    focus_areas=("health_wellbeing", "civic_social"),
    deployed_in=("KR",),
)

# The city's own flood platform, published as an offer by the same organisation as the need.
OWN_FLOOD_OFFER = Offer(
    id="o-dn-own",
    organisation="Da Nang City People's Committee",
    country="VN",
    language="vi",
    title="Nền tảng cảnh báo lũ của thành phố",
    description=(
        "Hệ thống cảm biến mực nước và cảnh báo lũ tự động cho người dân qua SMS do thành phố vận hành."
    ),
    focus_areas=("safety_security",),
    deployed_in=("VN",),
)

NEEDS = [FLOOD_NEED_VI, AIR_NEED_TH, ELDERLY_NEED_ID]
OFFERS = [
    FLOOD_INSURANCE_EN,
    LEAK_DETECTION_JA,
    FLOOD_SENSOR_JA,
    PM25_SENSOR_JA,
    ELDERLY_SPEAKER_KO,
    OWN_FLOOD_OFFER,
]
