"""Như Xuân's 2023 template and the communes' plans made from it, as plain data for the demo.

The texts are those of xã Bình Lương's real 2023 plan (DESIGN.md, the seed), paragraph by
paragraph: only the PDF's line breaks are gone. Its wording, typos included, is kept as it
is, so the demo document reads like the official one. The template says `{unit}` where the
seed names the commune, so every commune's plan names itself.
"""
from decimal import Decimal

from app.plan_templates.models import (
    Aggregation,
    Disaggregation,
    TimeAggregation,
    ValueType,
)

YEAR = 2023
# How the seed names its commune inside a sentence; the template has `{unit}` there.
SEED_COMMUNE = "xã Bình Lương"
BINH_LUONG_CODE = "16204"

TITLE = "Triển khai thực hiện chương công tác bình đẳng giới năm 2023"
LEGAL_BASIS = (
    'Thực hiện Công văn số 659/UBND-LĐTBXH ngày 10/4/2023 của Uỷ ban nhân dân huyện Như Xuân '
    'về việc hướng dẫn triển khai thực hiện các nhiệm trọng tâm của công tác bình đẳng giới '
    'năm 2023 ;'
)
INTRODUCTION = (
    'Uỷ ban nhân dân xã Bình Lương xây dựng kế hoạch thực hiện Chương trình công tác bình '
    'đẳng giới năm 2023 với các nội dung cụ thể như sau:'
)
CLOSING = (
    'Trên đây là kế hoạch triển khai thực hiện Chương trình quốc gia về Bình đẳng giới năm '
    '2023. UBND xã Bình Lương đề nghị các ban, ngành, các đơn vị thôn triển khai thực hiện và'
    ' báo cáo kết quả thực hiện kế hoạch theo quy định.'
)
RESPONSIBLE_BODIES = ("Ban chính sách", "Ban văn hoá", "Ban ngân sách", "MTTQ", "Hội LHPN",
                      "Hội nông dân", "Đoàn TN", "Các thôn")
RECIPIENTS = ("Phòng LĐTBXH huyện (b/c);", "TTĐU, HĐND (b/c);", "Chủ tich, Các PCT (c/đ);",
              "MTTQ, đoàn thể (t/h);", "Các thôn (t/h);", "Lưu VT.")

# The sections in document order: key, level, heading, guidance for the commune, editable,
# and the seed's paragraphs (Bình Lương's text; with `{unit}` it is the template's default).
SECTIONS = (
    {
        "key": "muc-dich", "level": 1, "heading": "Mục đích yêu cầu", "editable": True,
        "guidance": "Nêu mục đích, yêu cầu của kế hoạch đối với xã. Có thể giữ nội dung gợi ý "
                    "của huyện và bổ sung những điểm riêng của địa phương.",
        "paragraphs": (
            ('Tăng cường sự lãnh đạo, chỉ đạo của các cấp ủy Đảng, chính quyền, sự phối hợp '
             'của các tổ chức chính trị - xã hội, tổ chức xã hội, tổ chức kinh tế, đơn vị sự '
             'nghiệp, sự tham gia của mỗi cá nhân, gia đình và cộng đồng nhằm nâng cao hiệu '
             'quả quản lý nhà nước về bình đẳng giới trên địa bàn xã Bình Lương'),
            ('Tổ chức các hoạt động Bình đẳng giới tạo bước chuyển biến mạnh mẽ về nhận thức '
             'nhằm thúc đẩy mọi người dân thay đổi hành vi thực hiện Bình đẳng giới, từng bước'
             ' thu hẹp khoảng cách giới, nâng cao vị thế của phụ nữ trong một số lĩnh vực còn '
             'bất bình đẳng giới hoặc có nguy cơ bất bình đẳng giới cao. Góp phần thực hiện có'
             ' hiệu quả mục tiêu chiến lược quốc gia về bình đẳng giới trên địa bàn xã năm '
             '2023.'),
        ),
    },
    {
        "key": "noi-dung", "level": 1, "heading": "Nội dung thực hiện", "editable": False,
        "guidance": "Các nội dung thực hiện được trình bày theo từng lĩnh vực dưới đây.",
        "paragraphs": (),
    },
    {
        "key": "tuyen-truyen", "level": 2, "editable": True,
        "heading": "Tuyên truyền nâng cao nhận thức, thay đổi hành vi về bình đẳng giới",
        "guidance": "Nêu các hình thức tuyên truyền xã sẽ tổ chức (loa phát thanh, hội nghị "
                    "thôn, tư vấn, hội thảo…), đối tượng và các thôn trọng tâm. Chỉ tiêu số "
                    "buổi và số lượt người được truyền thông ghi ở phần chỉ tiêu.",
        "paragraphs": (
            ('Tổ chức các hoạt động tuyên truyền thông trên các kênh thông tin đại chúng, đặc '
             'biệt là hệ thống loa phát thanh của xã; thông qua các hội nghị xã viên ở cấp '
             'thôn lồng ghép các Kế hoạch, chương trình hành động về bình đẳng giới đến toàn '
             'thể nhân dân trong thôn,'),
            ('Tổ chức các buổi tư vấn Luật bình đẳng giới và các văn bản chính sách, pháp luật'
             ' về công tác Bình đẳng giới; Và sự tiến bộ của phụ nữ… tới cán bộ lãnh đạo, '
             'chính quyền, các ngành, đoàn thể và nhân dân trong toàn xã.'),
            ('Phối hợp với MTTQ, ngành đoàn thể trên địa bàn tổ chức các hoạt động tuyên '
             'truyền Luật Bình đẳng giới và các chủ trương, chính sách liên quan đến công tác '
             'Bình đẳng giới; Phòng chống bạo lực gia đình và sự tiến bộ của phụ nữ trong cuộc'
             ' sống. Xác định đối tượng cụ thể như: phụ nữ, thanh niên, nông dân, trẻ em... '
             'bằng các hình thức hội thảo, toạ đàm, giao lưu. Trong đó chú trọng đến từng nhóm'
             ' đối tượng, thôn cụ thể.'),
        ),
    },
    {
        "key": "nang-luc", "level": 2, "editable": True,
        "heading": "Nâng cao năng lực và hiệu quả quản lý nhà nước về bình đẳng giới.",
        "guidance": "Nêu các lớp tập huấn cho cán bộ xã, thôn và việc phối hợp với các đoàn "
                    "thể; số lớp và số cán bộ được tập huấn (nam, nữ) ghi ở phần chỉ tiêu.",
        "paragraphs": (
            ('Triển khai tập huấn nâng cao năng lực cho cán bộ xã, thôn phụ trách công tác '
             'Bình đẳng giới để dáp ứng được yêu cầu trong thời gian tới .'),
            ('Phối hợp xây dựng chương trỡnh và biên soạn tài liệu tập huấn nghiệp vụ chuyên '
             'môn về hoạt động Bình đẳng giới; tổ chức học tập, trao đổi kinh nghiệm cho đội '
             'ngũ cán bộ quản lý nhà nước về bình đẳng giới ( trong và ngoài tỉnh).'),
            ('Phối hợp với các sở, ngành, đoàn thể tổ chức tập huấn, hội thảo… nâng cao năng '
             'lực cho cán bộ, Hội viên, Đoàn viên … trong đó chú trọng việc thực hiện lồng '
             'ghép giới phù hợp với lĩnh vực chuyên môn phụ trách; tổ chức đào tạo đội ngũ báo'
             ' cáo viên để phục vụ công tác tập huấn, hội thảo tại địa phương .'),
        ),
    },
    {
        "key": "ho-tro", "level": 2, "editable": True,
        "heading": "Hỗ trợ thực hiện bình đẳng giới.",
        "guidance": "Nêu các thôn được chọn xây dựng hoặc nhân rộng mô hình can thiệp và các "
                    "hoạt động tư vấn, hỗ trợ; số tờ rơi, tranh gấp cấp phát ghi ở phần chỉ tiêu.",
        "paragraphs": (
            ('Tiếp tục phối hợp với các ban, ngành, đoàn thể trên địa bàn xã xây dựng triển '
             'khai thí điểm mô hình tổ chức các hoạt động nâng cao năng lực và truyền thông, '
             'vận động tại cộng đồng nhằm tăng cường hiệu quả của việc thực hiện mô hình can '
             'thiệp, hỗ trợ và giảm thiểu tác hại của bạo lực gia đình.'),
            ('Điều tra, khảo sát và lựa chọn một số thôn có nguy cơ cao về bất bình đẳng giới '
             'để triển khai nhân rộng mô hình can thiệp giảm thiểu tác hại bao lực trên cơ sở '
             'giới; thí điểm các hoạt động tư vấn, hỗ trợ về bình đẳng giới…'),
            ('Thu thập tài liệu, tập huấn hướng dẫn các hoạt động triển khai mô hình tại địa '
             'phương; xây dựng Pano, áp phích, nhân bản và cấp phát tờ rơi, tranh gấp tuyên '
             'truyền về bình đẳng giới, phòng chống bạo lực gia đình và và sự tiến bộ của phụ '
             'nữ ở cơ sở được chọn triển khai xây dựng mô hình.'),
        ),
    },
    {
        "key": "to-chuc", "level": 1, "heading": "Tổ chức thực hiện", "editable": True,
        "guidance": "Phân công nhiệm vụ cho từng ban, ngành, đoàn thể và các thôn; nêu việc bố "
                    "trí kinh phí và chế độ báo cáo.",
        "paragraphs": (
            ('Ban chính sách tham mưu xây dựng và tổ chức thực hiện kế hoạch hoạt động năm về '
             'Bình đẳng giới phù hợp với chương trình phát triển kinh tế - xã hội của địa '
             'phương trong cùng thời kỳ; lồng ghép thực hiện có hiệu quả kế hoạch này với các '
             'chương trình có liên quan trên địa bàn; đẩy mạnh phối hợp liên ngành trong việc '
             'thực hiện nhiệm vụ công tác Bình đẳng giới; thường xuyên kiểm tra việc thực hiện'
             ' tại địa phương; báo cáo định kỳ việc thực hiện kế hoạch trên địa bàn xã theo '
             'quy định hiện hành.'),
            ('Phối hợp với Mặt trận tổ quốc và các thành viên của Mặt trận như Hội phụ nữ, Hội'
             ' nông dân, Đoàn thanh niên trong phạm vi chức năng, nhiệm vụ của ngành, tham gia'
             ' tổ chức triển khai kế hoạch; đẩy mạnh công tác tuyên truyền, giáo dục thông qua'
             ' các hoạt đồng nhằm giáo dục vận động Hội viên, Đoàn viên và nhân dân nâng cao '
             'nhận thức về Bình đẳng giới; Phòng chống bạo lực gia đình và Và sự tiến bộ của '
             'phụ nữ.'),
            ('Ban văn hoá thu thập tài liệu, thông tin về bình đẳng giới biên soan tin, phóng '
             'sự tuyên truyền trên loa phóng thanh, tại các hội nghị xã viên các thôn và đến '
             'toàn thể nhân dân .'),
            ('Ban Ngân sách bố trí kinh phí hỗ trợ công tác tuyên truyền, cộng tác viên, phô '
             'tô in ấn tại liệu, tổ chức sơ kết, tổng kết đánh giá công tác triển khai thực '
             'hiện kế hoạch và đơn vị thực hiện mô hình tại các đơn vị thôn, xã theo quy định '
             '.'),
        ),
    },
)

# The district's suggested activities under each content area, taken from the seed's text.
TEMPLATE_ACTIVITIES = (
    {"section_key": "tuyen-truyen", "lead_body": "Ban văn hoá",
     "name": "Tuyên truyền về bình đẳng giới trên hệ thống loa phát thanh của xã"},
    {"section_key": "tuyen-truyen", "lead_body": "Các thôn",
     "name": "Lồng ghép nội dung bình đẳng giới trong các hội nghị xã viên ở thôn"},
    {"section_key": "tuyen-truyen", "lead_body": "Ban chính sách",
     "name": "Tư vấn Luật Bình đẳng giới cho cán bộ, đoàn thể và nhân dân"},
    {"section_key": "nang-luc", "lead_body": "Ban chính sách",
     "name": "Tập huấn nâng cao năng lực cho cán bộ xã, thôn phụ trách công tác bình đẳng giới"},
    {"section_key": "nang-luc", "lead_body": "MTTQ",
     "name": "Tập huấn, hội thảo về lồng ghép giới cho hội viên, đoàn viên"},
    {"section_key": "ho-tro", "lead_body": "Ban chính sách",
     "name": "Khảo sát, chọn thôn có nguy cơ cao để nhân rộng mô hình can thiệp"},
    {"section_key": "ho-tro", "lead_body": "Ban văn hoá",
     "name": "Xây dựng pano, áp phích; cấp phát tờ rơi, tranh gấp tuyên truyền"},
)

# Codes are unique in the template; `minimum_target` is what the district asks of each commune.
INDICATORS = (
    {"code": "TT01", "name": "Số buổi truyền thông được tổ chức", "measure_unit": "buổi",
     "minimum_target": Decimal(4)},
    {"code": "TT02", "name": "Số lượt người được truyền thông", "measure_unit": "người",
     "disaggregation": Disaggregation.SEX, "minimum_target": Decimal(500)},
    {"code": "TH01", "name": "Số lớp tập huấn", "measure_unit": "lớp", "minimum_target": Decimal(1)},
    {"code": "TH02", "name": "Số cán bộ được tập huấn", "measure_unit": "người",
     "disaggregation": Disaggregation.SEX},
    {"code": "TR01", "name": "Số tờ rơi, tranh gấp được cấp phát", "measure_unit": "tờ"},
    {"code": "MH01", "name": "Số thôn có mô hình can thiệp", "measure_unit": "thôn",
     "time_aggregation": TimeAggregation.LAST},
    {"code": "KP01", "name": "Kinh phí đã chi", "measure_unit": "đồng"},
    {"code": "CB01", "name": "Tỷ lệ nữ trong cán bộ chủ chốt xã", "measure_unit": "%",
     "value_type": ValueType.PERCENT, "aggregation": Aggregation.RATIO,
     "numerator_code": "CB02", "denominator_code": "CB03", "time_aggregation": TimeAggregation.LAST},
    {"code": "CB02", "name": "Số nữ cán bộ chủ chốt xã", "measure_unit": "người",
     "time_aggregation": TimeAggregation.LAST},
    {"code": "CB03", "name": "Số cán bộ chủ chốt xã", "measure_unit": "người",
     "time_aggregation": TimeAggregation.LAST},
)

# Bình Lương's plan: the seed's document details, and its targets — a number, or
# (men, women) for an indicator entered by sex. CB01 is CB02 over CB03.
BINH_LUONG_DOCUMENT = {
    "document_number": "45/KH-UBND", "place": "Bình Lương", "document_date": "2023-05-05",
    "signer_authority": "TM. ỦY BAN NHÂN DÂN", "signer_title": "CHỦ TỊCH",
    "signer_name": "Lê Văn Thắng",
}
BINH_LUONG_TARGETS = {
    "TT01": 8, "TT02": (560, 640), "TH01": 2, "TH02": (28, 32), "TR01": 1500, "MH01": 2,
    "KP01": 27_000_000, "CB02": 6, "CB03": 20,
}
# When, with whom and with what money Bình Lương runs the district's activities (by name).
BINH_LUONG_SCHEDULE = {
    "Tuyên truyền về bình đẳng giới trên hệ thống loa phát thanh của xã": {
        "supporting_bodies": "Hội LHPN, Đoàn TN", "months": "3,6,9,11",
        "budget_vnd": 3_000_000, "funding_source": "Ngân sách xã"},
    "Lồng ghép nội dung bình đẳng giới trong các hội nghị xã viên ở thôn": {
        "supporting_bodies": "MTTQ, Hội nông dân", "months": "4,10", "budget_vnd": 0,
        "funding_source": ""},
    "Tư vấn Luật Bình đẳng giới cho cán bộ, đoàn thể và nhân dân": {
        "supporting_bodies": "Hội LHPN, Công chức Tư pháp", "months": "5,8",
        "budget_vnd": 1_500_000, "funding_source": "Ngân sách xã"},
    "Tập huấn nâng cao năng lực cho cán bộ xã, thôn phụ trách công tác bình đẳng giới": {
        "supporting_bodies": "Hội LHPN", "months": "6", "budget_vnd": 8_000_000,
        "funding_source": "Kinh phí huyện hỗ trợ"},
    "Tập huấn, hội thảo về lồng ghép giới cho hội viên, đoàn viên": {
        "supporting_bodies": "Hội LHPN, Hội nông dân, Đoàn TN", "months": "7",
        "budget_vnd": 2_500_000, "funding_source": "Ngân sách xã"},
    "Khảo sát, chọn thôn có nguy cơ cao để nhân rộng mô hình can thiệp": {
        "supporting_bodies": "Hội LHPN, Các thôn", "months": "4", "budget_vnd": 0,
        "funding_source": ""},
    "Xây dựng pano, áp phích; cấp phát tờ rơi, tranh gấp tuyên truyền": {
        "supporting_bodies": "Các thôn", "months": "5,6", "budget_vnd": 6_000_000,
        "funding_source": "Ngân sách xã"},
}
# Activities of Bình Lương's own, beyond the district's suggestions.
BINH_LUONG_OWN_ACTIVITIES = (
    {"section_key": "ho-tro", "name": "Xây dựng mô hình can thiệp giảm thiểu bạo lực trên cơ sở "
     "giới tại thôn Đồng Mười và thôn Làng Lụ", "lead_body": "Hội LHPN",
     "supporting_bodies": "Ban chính sách, Công an xã", "months": "5,6,7,8,9,10",
     "budget_vnd": 4_000_000, "funding_source": "Chương trình quốc gia về bình đẳng giới"},
    {"section_key": "tuyen-truyen", "name": "Tọa đàm về bình đẳng giới và phòng chống bạo lực "
     "gia đình nhân Tháng hành động vì bình đẳng giới", "lead_body": "Hội LHPN",
     "supporting_bodies": "Đoàn TN, Hội nông dân", "months": "11", "budget_vnd": 2_000_000,
     "funding_source": "Ngân sách xã"},
)

# Other communes' plans, one at each workflow stage, and approved ones that have reports
# (the rest have none yet, so creating a plan can be shown). `scale` sizes their targets
# against Bình Lương's.
OTHER_COMMUNE_PLANS = (
    {"commune": "16174", "stage": "draft"},
    {"commune": "16180", "stage": "submitted", "scale": "0.8",
     "document": {"document_number": "32/KH-UBND", "document_date": "2023-04-25",
                  "signer_name": "Nguyễn Văn Hải"}},
    {"commune": "16201", "stage": "returned", "scale": "0.7",
     "document": {"document_number": "27/KH-UBND", "document_date": "2023-04-20",
                  "signer_name": "Lò Thị Hoa"},
     "comment": "Đề nghị xã bổ sung thôn thực hiện mô hình can thiệp và bố trí kinh phí cho "
                "các buổi truyền thông tại thôn."},
    {"commune": "16195", "stage": "approved", "scale": "1.2",
     "document": {"document_number": "40/KH-UBND", "document_date": "2023-04-27",
                  "signer_name": "Vi Văn Tuấn"}},
    {"commune": "16207", "stage": "amended", "scale": "1",
     "document": {"document_number": "36/KH-UBND", "document_date": "2023-04-24",
                  "signer_name": "Lê Thị Lan"},
     "amendment": {"KP01": 30_000_000, "MH01": 3}},
    # Approved plans the communes report on (app/demo/reports.py).
    *({"commune": code, "stage": "approved", "scale": scale,
       "document": {"document_number": number, "document_date": day, "signer_name": signer}}
      for code, scale, number, day, signer in (
          ("16177", "1.1", "38/KH-UBND", "2023-04-26", "Lương Văn Minh"),
          ("16183", "0.9", "29/KH-UBND", "2023-04-21", "Hà Thị Nga"),
          ("16186", "0.75", "31/KH-UBND", "2023-04-24", "Lang Văn Bình"),
          ("16198", "0.85", "35/KH-UBND", "2023-04-25", "Phạm Văn Đức"),
          ("16210", "1.3", "42/KH-UBND", "2023-04-28", "Lê Thị Hương"),
          ("16213", "1", "33/KH-UBND", "2023-04-24", "Vi Thị Thảo"),
          ("16216", "0.95", "30/KH-UBND", "2023-04-21", "Lò Văn Sơn"),
          ("16219", "1.15", "37/KH-UBND", "2023-04-26", "Ngân Văn Tiến"),
      )),
)
