"""Make a synthetic project at provincial scale: N procedures like a published catalogue.

    python bench/corpus.py DIR [--units 2000]
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

FIELDS = ["Hộ tịch", "Chứng thực", "Đất đai", "Xây dựng", "Giao thông vận tải", "Tư pháp",
          "Lao động - Thương binh và Xã hội", "Đăng ký kinh doanh", "Giáo dục", "Y tế"]
AGENCIES = ["UBND cấp xã", "UBND cấp huyện", "Sở Tư pháp", "Sở Xây dựng",
            "Sở Giao thông vận tải", "Sở Kế hoạch và Đầu tư", "Trung tâm Hành chính công tỉnh"]
ACTIONS = ["Đăng ký", "Cấp đổi", "Cấp lại", "Gia hạn", "Điều chỉnh", "Xác nhận", "Chứng thực"]
OBJECTS = ["giấy khai sinh", "giấy phép xây dựng", "giấy phép lái xe", "hộ kinh doanh",
           "phiếu lý lịch tư pháp", "giấy chứng nhận quyền sử dụng đất", "bản sao từ sổ gốc",
           "giấy xác nhận tình trạng hôn nhân", "chứng chỉ hành nghề", "giấy phép kinh doanh"]


def unit_text(i: int, rng: random.Random) -> str:
    """One procedure unit, in the shape editors write."""
    field, agency = rng.choice(FIELDS), rng.choice(AGENCIES)
    title = f"{rng.choice(ACTIONS)} {rng.choice(OBJECTS)} trực tuyến (thủ tục số {i})"
    steps = "\n".join(f'  - "Bước {n}: thực hiện trên Cổng dịch vụ công, nộp hồ sơ điện tử '
                      f'và theo dõi tình trạng xử lý."' for n in range(1, rng.randint(3, 6)))
    docs = "\n".join(f'  - "Giấy tờ số {n} theo mẫu quy định."'
                     for n in range(1, rng.randint(2, 5)))
    day = 1 + i % 28
    month = 2 + i % 2
    return f"""---
kind: procedure
title: "{title}"
summary: "Người dân, doanh nghiệp nộp hồ sơ {field.lower()} qua Cổng dịch vụ công và nhận kết quả qua bưu điện."
publish: 2021-{month:02d}-{day:02d}
tags: ["{field}", "trực tuyến"]
code: "1.{i:06d}"
agency: "{agency}"
field: "{field}"
steps:
{steps}
documents:
{docs}
processing_time: "{rng.randint(1, 15)} ngày làm việc"
fee: "Miễn phí"
where: "Bộ phận Một cửa {agency}"
online:
  url: "https://dichvucong.gov.vn"
  full: {str(rng.random() < 0.5).lower()}
legal_basis:
  - "Nghị định số 45/2020/NĐ-CP"
---

Thủ tục **{title.lower()}** được thực hiện trực tuyến từ năm 2021.

- Nộp hồ sơ mọi lúc, mọi nơi.
- Nhận kết quả qua dịch vụ bưu chính công ích.

Cần hỗ trợ, gọi Tổng đài Dịch vụ công (0251) 1022.
"""


def make_corpus(target: Path, units: int, seed: int = 2021) -> None:
    """Write a project with `units` procedures into `target` (replacing it)."""
    shutil.rmtree(target, ignore_errors=True)
    (target / "content").mkdir(parents=True)
    shutil.copy(REPO / "toolkit.toml", target / "toolkit.toml")
    rng = random.Random(seed)
    for i in range(units):
        (target / "content" / f"thu-tuc-{i:05d}.md").write_text(unit_text(i, rng), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("directory", type=Path)
    parser.add_argument("--units", type=int, default=2000)
    args = parser.parse_args()
    make_corpus(args.directory, args.units)


if __name__ == "__main__":
    main()
