"""Random but realistic Vietnamese applicants (names, mobile numbers, citizen ID numbers)."""

from __future__ import annotations

import random
from dataclasses import dataclass

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
          "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Rơ Châm", "Ksor", "Siu")
MIDDLE_MALE = ("Văn", "Hữu", "Đức", "Minh", "Quốc", "Thành", "Công", "Xuân")
MIDDLE_FEMALE = ("Thị", "Ngọc", "Thu", "Thanh", "Kim", "Minh", "Hồng", "Bảo")
GIVEN_MALE = ("An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khang", "Long", "Nam", "Phúc",
              "Quân", "Sơn", "Tâm", "Thắng", "Trung", "Tuấn", "Việt", "Vinh")
GIVEN_FEMALE = ("Anh", "Chi", "Dung", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai",
                "Nga", "Nhung", "Phương", "Thảo", "Trang", "Uyên", "Vy", "Yến")
MOBILE_PREFIXES = ("090", "093", "089", "091", "094", "088", "096", "097", "098", "086",
                   "032", "035", "038", "070", "077", "079", "081", "083", "085")
GIA_LAI_ID_PREFIX = "064"  # first three digits of a citizen ID issued for Gia Lai


@dataclass(frozen=True)
class Person:
    full_name: str
    phone: str
    id_number: str


def random_person(rng: random.Random) -> Person:
    female = rng.random() < 0.5
    middle = rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)
    given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
    name = f"{rng.choice(FAMILY)} {middle} {given}"
    phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**7):07d}"
    born = rng.randint(1960, 2003)
    century_sex = (0 if born < 2000 else 2) + (1 if female else 0)
    id_number = f"{GIA_LAI_ID_PREFIX}{century_sex}{born % 100:02d}{rng.randrange(10**6):06d}"
    return Person(name, phone, id_number)
