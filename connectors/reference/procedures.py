"""Health procedures (TTHC) handled by a provincial Department of Health, used to generate the
reference service's dossiers.

Provenance: the `1.0136xx` codes and names were checked against the national TTHC database
export in ../shared/data/tthc_csdlqg_sample (that export holds the Ministry of Defence versions
of the same KBCB procedures). The other codes were written from memory of the national database
and could not be checked offline (`verified=False`): fine for a demo service, not a source of
truth. Time limits are working days; fees are approximate and only decide which generated
dossiers may wait on a payment (status 6)."""

from __future__ import annotations

from dataclasses import dataclass

PROVINCE = "H21"  # Gia Lai
AGENCY_ID = f"000.00.21.{PROVINCE}"  # Sở Y tế, as in the dossier-code example
AGENCY_NAME = "Sở Y tế tỉnh Gia Lai"

RECEPTION_UNIT = "Bộ phận tiếp nhận và trả kết quả – Trung tâm Phục vụ hành chính công tỉnh"
DIRECTOR_UNIT = "Ban Giám đốc Sở Y tế"
FINANCE_UNIT = "Phòng Kế hoạch – Tài chính, Sở Y tế"


@dataclass(frozen=True)
class Procedure:
    code: str  # national procedure code
    name: str
    field: str
    days: int  # legal time limit, working days
    unit: str  # department that appraises the dossier
    fee: int = 0  # VND; > 0 means some dossiers wait on payment (status 6)
    verified: bool = False

    @property
    def provincial_code(self) -> str:
        """e.g. '1.013614.000.00.00.H21' (the province-level copy of a national procedure)."""
        return f"{self.code}.000.00.00.{PROVINCE}"


_KBCB = "Khám bệnh, chữa bệnh"
_MED = "Phòng Nghiệp vụ Y, Sở Y tế"
_PHARMA = "Phòng Nghiệp vụ Dược, Sở Y tế"
_FOOD = "Chi cục An toàn vệ sinh thực phẩm"

PROCEDURES: tuple[Procedure, ...] = (
    Procedure("1.013614", "Cấp mới giấy phép hành nghề khám bệnh, chữa bệnh", _KBCB, 30, _MED,
              360_000, True),
    Procedure("1.013618", "Cấp lại giấy phép hành nghề khám bệnh, chữa bệnh", _KBCB, 15, _MED,
              150_000, True),
    Procedure("1.013621", "Gia hạn giấy phép hành nghề khám bệnh, chữa bệnh", _KBCB, 20, _MED,
              0, True),
    Procedure("1.013622", "Điều chỉnh giấy phép hành nghề khám bệnh, chữa bệnh", _KBCB, 25, _MED,
              0, True),
    Procedure("1.013624", "Cấp mới giấy phép hoạt động khám bệnh, chữa bệnh", _KBCB, 65, _MED,
              4_300_000, True),
    Procedure("1.013617", "Cấp điều chỉnh giấy phép hoạt động khám bệnh, chữa bệnh", _KBCB, 20,
              _MED, 0, True),
    Procedure("1.013620", "Cấp lại giấy phép hoạt động khám bệnh, chữa bệnh", _KBCB, 20, _MED,
              0, True),
    Procedure("1.004616", "Cấp Chứng chỉ hành nghề dược theo hình thức xét hồ sơ", "Dược phẩm",
              20, _PHARMA, 500_000),
    Procedure("1.004605", "Cấp lại Chứng chỉ hành nghề dược theo hình thức xét hồ sơ",
              "Dược phẩm", 5, _PHARMA, 500_000),
    Procedure("1.004593", "Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược cho cơ sở bán lẻ "
              "thuốc (nhà thuốc, quầy thuốc)", "Dược phẩm", 30, _PHARMA, 1_000_000),
    Procedure("2.000180", "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ "
              "sở sản xuất thực phẩm, kinh doanh dịch vụ ăn uống thuộc thẩm quyền của Sở Y tế",
              "An toàn thực phẩm và Dinh dưỡng", 20, _FOOD, 700_000),
    Procedure("1.003062", "Cấp số tiếp nhận Phiếu công bố sản phẩm mỹ phẩm sản xuất trong nước",
              "Mỹ phẩm", 3, _PHARMA, 500_000),
    Procedure("1.003039", "Cấp giấy xác nhận nội dung quảng cáo mỹ phẩm", "Mỹ phẩm", 10,
              _PHARMA, 1_100_000),
    Procedure("1.003029", "Công bố đủ điều kiện sản xuất mỹ phẩm", "Mỹ phẩm", 30, _PHARMA,
              0),
    Procedure("1.003006", "Công bố đủ điều kiện mua bán trang thiết bị y tế thuộc loại B, C, D",
              "Trang thiết bị và công trình y tế", 3, _MED, 0),
    Procedure("1.002398", "Cấp giấy chứng nhận là lương y", "Y dược cổ truyền", 20, _MED, 0),
)

PROCESS_STEPS: tuple[str, ...] = (
    "Chuyên viên thẩm định hồ sơ",
    "Thẩm định thực tế tại cơ sở",
    "Lãnh đạo phòng xem xét, trình ký",
    "Lãnh đạo Sở phê duyệt",
    "Văn thư đóng dấu, phát hành kết quả",
)
