"""Demo funding per source and operation-and-maintenance costs of some demo projects.

Invented figures for invented demo records (the projects are marked is_demo); "city" stands for the
project's own city government.
"""

from __future__ import annotations

# (project title, source organisation slug or "city", amount, ISO 4217 currency, status, description)
FUNDINGS = [
    ("Real-time public bus information", "city", 1800000, "USD", "committed", "City budget 2021–2025"),
    ("Real-time public bus information", "kizuna-mobility", 1000000, "USD", "pledged", "Vendor financing"),
    ("Drainage and flood sensor network", "city", 1200000, "USD", "committed", "City drainage budget"),
    ("Drainage and flood sensor network", "mlit-japan", 40000000, "JPY", "committed", "Feasibility study"),
    ("Traffic CCTV monitoring centre", "city", 500000, "USD", "committed", ""),
    ("Traffic CCTV monitoring centre", "mlit-japan", 50000000, "JPY", "committed", "Feasibility study"),
    ("Traffic CCTV monitoring centre", "hanbit-urban-solutions", 200000, "USD", "pledged", "Equipment"),
    ("Luang Prabang smart city master plan", "mlit-japan", 60000000, "JPY", "committed", "Master plan study"),
    ("Luang Prabang smart city master plan", "city", 150000, "USD", "committed", ""),
    ("Cebu mobility data platform", "city", 700000, "USD", "committed", ""),
    ("Cebu mobility data platform", "mlit-japan", 45000000, "JPY", "pledged", "Data-collection study"),
    ("JAKI: aplikasi super warga Jakarta", "city", 85000000000, "IDR", "committed", "APBD DKI Jakarta"),
    ("Integrated city operations centre", "city", 20000000, "MYR", "committed", ""),
    ("Integrated city operations centre", "hanbit-urban-solutions", 8000000, "MYR", "pledged", ""),
    ("Bang Sue smart city district", "city", 1000000000, "THB", "committed", ""),
    ("Bang Sue smart city district", "mlit-japan", 100000000, "JPY", "pledged", "Feasibility study"),
]

# (project title, operation and maintenance cost per year, ISO 4217 currency)
OM_COSTS = [
    ("Real-time public bus information", 240000, "USD"),
    ("Traffic CCTV monitoring centre", 85000, "USD"),
    ("JAKI: aplikasi super warga Jakarta", 9000000000, "IDR"),
    ("Integrated city operations centre", 2500000, "MYR"),
]
