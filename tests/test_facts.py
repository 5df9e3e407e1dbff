"""Green facts: number formats, units, subjects, the 2025 province map, documents, organisations, the seed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newscrawl import extract_facts
from newscrawl.facts.numbers import parse_number
from newscrawl.facts.places import current_province, province_map

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEED = FIXTURES / "baodautu" / "hai-phong-chuyen-doi-so-huong-toi-phat-trien-ben-vung-d282157.expected.json"


def quantities(text: str, language: str = "vi") -> list[tuple]:
    return [(f["kind"], f["value"], f["unit"]) for f in extract_facts(text, language)["facts"]]


@pytest.mark.parametrize("printed, language, value", [
    ("1.500", "vi", 1500), ("15.777", "vi", 15777), ("3,5", "vi", 3.5), ("29,7", "vi", 29.7),
    ("1.234.567,8", "vi", 1234567.8), ("3.5", "vi", 3.5), ("1,500", "en", 1500), ("3.5", "en", 3.5),
    ("1,234,567.8", "en", 1234567.8), ("42", "en", 42),
])
def test_number_formats(printed, language, value):
    assert parse_number(printed, language) == pytest.approx(value)


@pytest.mark.parametrize("text, language, expected", [
    ("Dự án có công suất 1.500 MW.", "vi", ("capacity", 1500, "MW")),
    ("Nhà máy 3.000MW đã vận hành.", "vi", ("capacity", 3000, "MW")),
    ("Tổng vốn 3,5 tỷ USD.", "vi", ("money", 3_500_000_000, "USD")),
    ("Khu công nghiệp rộng 15.777 ha.", "vi", ("area", 15777, "ha")),
    ("Tỷ trọng điện gió đạt 29,7%.", "vi", ("percent", 29.7, "%")),
    ("The 1,500 MW plant is running.", "en", ("capacity", 1500, "MW")),
    ("The project costs $3.5 billion.", "en", ("money", 3_500_000_000, "USD")),
    ("The project costs 3.5 billion USD.", "en", ("money", 3_500_000_000, "USD")),
    ("Green credit reached VND650 trillion.", "en", ("money", 650 * 10**12, "VND")),
])
def test_number_formats_in_sentences(text, language, expected):
    assert quantities(text, language) == [expected]


@pytest.mark.parametrize("text, expected", [
    ("Hộ gia đình lắp 5 kW điện mặt trời.", ("capacity", 0.005, "MW")),
    ("Tổng công suất khoảng 80 GW.", ("capacity", 80000, "MW")),
    ("Điện mặt trời mái nhà đạt 9.500 MWp.", ("capacity", 9500, "MW")),
    ("Hệ thống pin lưu trữ 50 MWh.", ("capacity", 50, "MWh")),
    ("Điện gió phát 25,6 tỷ kWh.", ("capacity", 25_600_000, "MWh")),
    ("Dự án mất 2.000 tỷ đồng.", ("money", 2 * 10**12, "VND")),
    ("Khoản vay 500 triệu USD cho dự án.", ("money", 500_000_000, "USD")),
    ("Tổng mức đầu tư 1,6 nghìn tỷ đồng.", ("money", 1_600_000_000_000, "VND")),
    ("Dự án điện gió có tổng vốn 4.300 tỷ.", ("money", 4_300_000_000_000, "VND")),
    ("Rừng được tài trợ 2 triệu EUR.", ("money", 2_200_000, "USD")),
    ("Ngành xi măng phát thải 60 triệu tấn CO2 tương đương.", ("emissions", 60_000_000, "tCO2e")),
    ("Nhà máy giảm 9.000 tấn CO2 mỗi năm.", ("emissions", 9000, "tCO2e")),
    ("Các cơ sở phát thải từ 3.000 tCO2e phải kiểm kê.", ("emissions", 3000, "tCO2e")),
    ("Vườn quốc gia rộng 1.233 km2.", ("area", 123_300, "ha")),
])
def test_units_normalised(text, expected):
    kind, value, unit = quantities(text)[0]
    assert (kind, unit) == (expected[0], expected[2])
    assert value == pytest.approx(expected[1])


def test_english_emissions_and_area():
    assert quantities("Ca Mau has 49,000 ha of mangroves absorbing 1.3 million tonnes of CO2 a year.", "en") == [
        ("area", 49000, "ha"), ("emissions", 1_300_000, "tCO2e")]


def test_ranges_give_both_ends():
    assert quantities("Tỉnh đề xuất bổ sung 1.000 - 1.500 MW điện gió.") == [
        ("capacity", 1000, "MW"), ("capacity", 1500, "MW")]
    assert quantities("Hệ thống lưu trữ 300 MW/1.200 MWh được đề xuất.") == [
        ("capacity", 300, "MW"), ("capacity", 1200, "MWh")]


@pytest.mark.parametrize("text, language", [
    ("Liên hệ 1900.1234 hoặc 0912.345.678 để lắp điện mặt trời.", "vi"),
    ("Bài viết d282157 đăng ngày 12/3/2025 lúc 10:30.", "vi"),
    ("Giá điện bán lẻ bình quân là 2.103 đồng/kWh.", "vi"),
    ("Giá thịt lợn hơi tăng lên 65.000 đồng/kg.", "vi"),
    ("Mỗi suất ăn tại hội nghị có giá 150.000 đồng.", "vi"),
    ("Giá vé máy bay dịp Tết giảm 30% so với cùng kỳ.", "vi"),
    ("Chỉ số VN-Index giảm 30% so với đỉnh.", "vi"),
    ("Mỗi héc-ta rừng trồng hấp thụ 10 - 15 tấn CO2 mỗi năm.", "vi"),
    ("Khí CO2 và bụi PM2.5 tăng ở Hà Nội.", "vi"),
    ("Inflation rose 3.2% in May.", "en"),
    ("Call our hotline at 0912 345 678.", "en"),
])
def test_negatives(text, language):
    assert quantities(text, language) == []


def test_subject_plan_and_target_year():
    facts = extract_facts("Đến năm 2030, Việt Nam phấn đấu phát triển 6.000 MW điện gió ngoài khơi. "
                          "Năm 2024, điện mặt trời mái nhà đã đạt 9.500 MWp.")["facts"]
    assert [(f["subject"], f["planned"], f["target_year"]) for f in facts] == [
        ("offshore_wind", True, 2030), ("rooftop_solar", False, None)]
    english = extract_facts("Vietnam plans to build 2,600 MW of biomass power by 2030.", "en")["facts"]
    assert [(f["subject"], f["planned"], f["target_year"]) for f in english] == [("biomass", True, 2030)]


def test_fact_keeps_printed_sentence_and_position():
    text = "Mở đầu. Dự án điện gió có công suất 1.500 MW tại Quảng Trị."
    (fact,) = extract_facts(text)["facts"]
    assert fact["printed"] == "1.500 MW" == text[fact["start"]:fact["end"]]
    assert fact["sentence"] == "Dự án điện gió có công suất 1.500 MW tại Quảng Trị."


def test_province_map_knows_63_old_and_34_current():
    names = province_map()
    assert len(set(names.values())) == 34
    old = {"Ninh Thuận", "Bình Thuận", "Đắk Nông", "Bình Dương", "Bà Rịa - Vũng Tàu", "Hà Giang", "Kon Tum",
           "Quảng Nam", "Hậu Giang", "Sóc Trăng", "Bạc Liêu", "Kiên Giang", "Long An", "Trà Vinh", "Bến Tre",
           "Yên Bái", "Bắc Kạn", "Vĩnh Phúc", "Hòa Bình", "Hải Dương", "Thái Bình", "Hà Nam", "Nam Định",
           "Bắc Giang", "Quảng Bình", "Bình Định", "Phú Yên", "Tiền Giang", "Bình Phước"}
    assert old <= set(names)


@pytest.mark.parametrize("old, new", [
    ("Ninh Thuận", "Khánh Hòa"), ("Bình Thuận", "Lâm Đồng"), ("Đắk Nông", "Lâm Đồng"),
    ("Bình Dương", "Hồ Chí Minh"), ("Bà Rịa - Vũng Tàu", "Hồ Chí Minh"), ("Vũng Tàu", "Hồ Chí Minh"),
    ("Hà Giang", "Tuyên Quang"), ("Quảng Nam", "Đà Nẵng"), ("Sóc Trăng", "Cần Thơ"), ("Bạc Liêu", "Cà Mau"),
    ("Kiên Giang", "An Giang"), ("Hải Dương", "Hải Phòng"), ("Phú Yên", "Đắk Lắk"), ("Hà Nội", "Hà Nội"),
    ("Khánh Hoà", "Khánh Hòa"), ("Thừa Thiên Huế", "Huế"),
])
def test_2025_province_mapping(old, new):
    assert current_province(old) == new


def test_places_in_text_old_and_new_counted_together():
    old = extract_facts("Năm 2024, tỉnh Ninh Thuận có 46 dự án điện mặt trời.")["places"]
    new = extract_facts("Năm 2026, tỉnh Khánh Hòa kêu gọi đầu tư điện gió.")["places"]
    assert [(p["printed"], p["province"]) for p in old] == [("Ninh Thuận", "Khánh Hòa")]
    assert [p["province"] for p in new] == ["Khánh Hòa"]
    english = extract_facts("Solar farms in Ninh Thuan and Binh Duong, and Hanoi's rooftops.", "en")["places"]
    assert [p["province"] for p in english] == ["Khánh Hòa", "Hồ Chí Minh", "Hà Nội"]


@pytest.mark.parametrize("text", [
    "Ông Nguyễn Hòa Bình dự hội nghị.",
    "Các nước ven Thái Bình Dương cam kết giảm phát thải.",
    "Dự án nằm trên địa bàn phường Hòa Bình.",
    "Chủ tịch Hồ Chí Minh từng căn dặn bảo vệ rừng.",
    "Trang trại của Công ty CP Năng lượng Xanh Phú Yên đã vận hành.",
])
def test_place_traps(text):
    assert extract_facts(text)["places"] == []


def test_documents_normalised():
    text = ("Theo Nghị định số 06/2022/NĐ-CP, Nghị quyết 57/NQ-TW và Nghị quyết số 57-NQ/TW, "
            "Luật Bảo vệ môi trường năm 2020, Luật số 72/2020/QH14 và Thông tư 01/2022/TT-BTNMT.")
    docs = extract_facts(text)["documents"]
    assert [d["id"] for d in docs] == ["06/2022/NĐ-CP", "57-NQ/TW", "57-NQ/TW", "Luật Bảo vệ môi trường 2020",
                                       "72/2020/QH14", "01/2022/TT-BTNMT"]
    decree = docs[0]
    assert (decree["printed"], decree["number"], decree["year"], decree["type"], decree["issuer"]) == (
        "Nghị định số 06/2022/NĐ-CP", 6, 2022, "Nghị định", "CP")
    english = extract_facts("Decree 06/2022/ND-CP and Resolution 57/NQ-TW.", "en")["documents"]
    assert [d["id"] for d in english] == ["06/2022/NĐ-CP", "57-NQ/TW"]


def test_power_plan_linked_to_its_decision_where_the_text_says_so():
    text = ("Quyết định 500/QĐ-TTg ngày 15/5/2023 phê duyệt Quy hoạch điện VIII. "
            "Theo Quy hoạch điện VIII, điện gió ngoài khơi đạt 6.000 MW.")
    docs = extract_facts(text)["documents"]
    assert [(d["printed"], d["id"], d["year"]) for d in docs] == [
        ("Quyết định 500/QĐ-TTg", "500/QĐ-TTg", 2023), ("Quy hoạch điện VIII", "500/QĐ-TTg", 2023),
        ("Quy hoạch điện VIII", "500/QĐ-TTg", 2023)]
    alone = extract_facts("Theo Quy hoạch điện VIII, điện gió ngoài khơi đạt 6.000 MW.")["documents"]
    assert [d["id"] for d in alone] == ["Quy hoạch điện VIII"]
    assert extract_facts("Hội thảo ở số 12/2024 phố Trần Hưng Đạo ngày 15/5/2023.")["documents"] == []


def test_organisations_normalised():
    text = ("Tập đoàn Điện lực Việt Nam (EVN) và Công ty CP Điện gió Trung Nam ký hợp đồng. "
            "EVN cho biết Bộ TN&MT và UBND tỉnh Ninh Thuận đã đồng ý; Công ty dự kiến mở rộng.")
    names = [o["name"] for o in extract_facts(text)["organisations"]]
    assert names == ["Tập đoàn Điện lực Việt Nam", "Tập đoàn Điện lực Việt Nam", "Công ty Cổ phần Điện gió Trung Nam",
                     "Tập đoàn Điện lực Việt Nam", "Bộ Tài nguyên và Môi trường", "UBND tỉnh Ninh Thuận"]
    learned = extract_facts("Ngân hàng TMCP Ngoại thương Việt Nam (Vietcombank) cho vay. Vietcombank cho biết.")
    assert [o["name"] for o in learned["organisations"]] == ["Ngân hàng TMCP Ngoại thương Việt Nam"] * 2


def test_seed_article_facts():
    body = json.loads(SEED.read_text(encoding="utf-8"))["body"]
    result = extract_facts(body)
    facts = [(f["kind"], f["value"], f["unit"], f["printed"], f["subject"], f["planned"], f["target_year"])
             for f in result["facts"]]
    assert facts == [
        ("capacity", 3000, "MW", "3.000 MW", "offshore_wind", True, None),
        ("percent", 29.7, "%", "29,7%", "digital_economy", False, None),
        ("percent", 25, "%", "25%", "digital_economy", True, 2025),
        ("percent", 40, "%", "40%", "digital_economy", True, 2030),
        ("area", 15777, "ha", "15.777 ha", "industrial_parks", True, 2050),
    ]
    wind = result["facts"][0]
    assert "Bạch Long Vĩ" in wind["sentence"] and body[wind["start"]:wind["end"]] == "3.000 MW"
    assert "25 khu công nghiệp" in result["facts"][4]["sentence"]
    assert "GRDP" in result["facts"][1]["sentence"]
    assert [(d["printed"], d["id"], d["type"], d["issuer"]) for d in result["documents"]] == [
        ("Nghị quyết 03/NQ-TU", "03-NQ/TU", "Nghị quyết", "TU"),
        ("Nghị quyết 57/NQ-TW", "57-NQ/TW", "Nghị quyết", "TW")]
    assert {p["province"] for p in result["places"]} == {"Hải Phòng"}
    assert [o["name"] for o in result["organisations"]] == ["Ban Quản lý khu kinh tế Hải Phòng"]
