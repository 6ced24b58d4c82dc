"""Regular expressions shared by the stages: list markers, table rows, cues."""

from __future__ import annotations

import re
from functools import lru_cache

VN_LETTERS = "abcdđeghiklmnopqrstuvxy"
ROMAN = r"(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"

MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
BOLD_ALL = re.compile(r"^\*\*(.+?)\*\*\s*:?\s*$")
BOLD_PREFIX = re.compile(r"^\*\*(.+?)\*\*\s*(.*)$")
ITALIC_ALL = re.compile(r"^\*([^*].*?)\*\s*$")
ITALIC_PREFIX = re.compile(r"^\*(?!\s)([^*]{1,80}?)\*(?!\*)\s*(.*)$")

RE_ROMAN = re.compile(rf"^({ROMAN})\s*[.\-–:)]\s*(\S.*)$")
RE_DECIMAL = re.compile(r"^(\d{1,2}(?:\.[1-9]\d?){1,3})\s*(?:[.)]?\s+|[-–]\s+(?=[^\d\s]))(\S.*)$")  # '1.1.', '2.1- ', never '4.0' or '1.000'
RE_ARABIC = re.compile(r"^(\d{1,2})\s*(?:[.)](?!\d)\s*|[-–]\s+(?=[^\d\s]))(\S.*)$")  # '1.', '1)', '1- ' (never '5 - 6 năm', '57-NQ/TW')
MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")  # markdown's backslash escapes: '**1\.**' is '1.'


def unescape_md(text: str) -> str:
    return MD_ESCAPE.sub(r"\1", text) if "\\" in text else text
RE_LETTER = re.compile(rf"^([{VN_LETTERS}])\s*\)\s*(\S.*)$")
RE_LETTER_DOT = re.compile(rf"^([{VN_LETTERS}])\.\s+(\S.*)$")
RE_PAREN = re.compile(rf"^\((\d{{1,2}}|[{VN_LETTERS}])\)\s*(\S.*)$")
RE_DASH = re.compile(r"^[-–—•●▪∙·]\s*(\S.*)$")
RE_PLUS = re.compile(r"^\+\s*(\S.*)$")
RE_STAR = re.compile(r"^\*\s+(\S.*)$")  # markdown bullet '* item' (never '**bold**')
RE_ARTICLE = re.compile(r"^(Điều)\s+(\d+)\s*[.:]\s*(.*)$")
RE_CHAPTER = re.compile(rf"^(?:Chương|CHƯƠNG|Phần|PHẦN)\s+({ROMAN}|\d{{1,2}})(?=$|[\s.:\-–])\s*[.:\-–]?\s*(.*)$")
RE_APPENDIX = re.compile(r"^\**\s*PH[ỤU] L[ỤU]C\b\s*([IVX]+|\d+)?\s*[:.]?\s*(.*?)\**\s*$", re.IGNORECASE)

#: The numbering grammar: every list marker a Vietnamese plan uses, from the outermost level in.
#: A block nests under the nearest block before it of a lower rank. Markdown headings rank by their
#: level (# 3, ## 6, ### 9 ...), decimals by their depth (1.1 = 30, 1.1.1 = 40).
#:
#: ======== ============================ ====
#: appendix PHỤ LỤC I                    1
#: chapter  Chương I, Phần II            5
#: bold     a bold line with no number   9
#: roman    I., II-, III:                10
#: article  Điều 1., Điều 2:             12
#: arabic   1., 1), 1-                   20
#: decimal  1.1., 2.1-, 1.1.1            30+
#: letter   a), b), đ)                   50
#: paren    (1), (a), and inline (1)     60
#: dash     -, –, •, * (md bullet)       70
#: plus     +                            80
#: ======== ============================ ====
RANKS = {"appendix": 1, "chapter": 5, "bold": 9, "roman": 10, "article": 12, "arabic": 20, "decimal": 20, "letter": 50, "paren": 60, "dash": 70, "plus": 80}
RANK_TEXT = 90  # anything else: below every marker

MARKER_RES = (
    ("decimal", RE_DECIMAL),
    ("arabic", RE_ARABIC),
    ("letter", RE_LETTER),
    ("paren", RE_PAREN),
    ("dash", RE_DASH),
    ("dash", RE_STAR),
    ("plus", RE_PLUS),
)

#: verbs a task starts with ('Xây dựng...', 'Tăng cường...'): a dash that starts with none of them
#: specifies (a place, a parameter, a quantity) rather than orders
ACTION_VERBS = frozenset(
    """xây dựng|tổ chức|triển khai|tăng cường|đẩy mạnh|hoàn thiện|nghiên cứu|phát triển|thực hiện|rà soát|ban hành|
    nâng cao|tập trung|tiếp tục|đầu tư|ứng dụng|khuyến khích|hỗ trợ|phối hợp|chủ trì|tuyên truyền|kiểm tra|thanh tra|
    giám sát|quản lý|bảo đảm|đảm bảo|huy động|lồng ghép|chỉ đạo|kiện toàn|sắp xếp|thu hút|bố trí|phấn đấu|đổi mới|
    quán triệt|cụ thể hóa|cụ thể hoá|thúc đẩy|hình thành|thành lập|duy trì|mở rộng|cải thiện|cải cách|hiện đại hóa|
    hiện đại hoá|số hóa|số hoá|chuyển đổi|tích hợp|kết nối|vận hành|nâng cấp|thí điểm|khảo sát|đánh giá|điều tra|
    thống kê|xác định|lựa chọn|đề xuất|tham mưu|báo cáo|chuẩn bị|sửa đổi|bổ sung|ký kết|hợp tác|phổ biến|giáo dục|
    đào tạo|bồi dưỡng|khen thưởng|phát động|biểu dương|nhân rộng|vận động|khai thác|sử dụng|phòng ngừa|ngăn chặn|
    xử lý|khắc phục|giảm|tạo|cung cấp|công bố|công khai|hướng dẫn|theo dõi|tổng kết|sơ kết|lập|cập nhật|ưu tiên|
    tiếp nhận|phân công|giao|yêu cầu|đề nghị|chủ động|kịp thời|quan tâm|phát huy|hoàn thành|áp dụng|chấn chỉnh|tăng|
    thiết lập|tham gia|đăng ký|bảo vệ|bảo tồn|phục hồi|trồng|ngăn ngừa|kiểm soát|ứng phó|khuyến nghị|
    tiến hành|phê duyệt|thẩm định|trình|tập huấn|truyền thông|phát hiện|đấu tranh|xây|mời gọi|đẩy nhanh|
    gắn|lãnh đạo|tận dụng|chuyển giao|thu thập|phân tích|dự báo|cảnh báo|quy hoạch|di dời|thu gom|tái chế|
    hoàn chỉnh|củng cố|kết hợp|đa dạng hóa|đa dạng hoá|nghiêm túc|thường xuyên|tiếp cận|chia sẻ|đồng bộ|chuẩn hóa|
    chuẩn hoá|liên kết|mua sắm|cấp|so sánh|đối chiếu|thông báo|in|phát hành|biên soạn""".replace("\n", "").split("|")
)


def starts_with_action(text: str) -> bool:
    """True when a line starts (after any label 'Về ...:') with one of :data:`ACTION_VERBS`."""
    words = text.lstrip("*_- ").lower().split()
    return bool(words) and (" ".join(words[:2]) in ACTION_VERBS or " ".join(words[:3]) in ACTION_VERBS or words[0].strip(",:;") in ACTION_VERBS)


TERMINAL = re.compile(r"[.:;!?…]\s*[\"”’)]*\s*$")
SIGNATURE_CUE = re.compile(
    r"^\**\s*(Nơi nhận|KT\.|TM\.|T/M|TL\.|TUQ\.|Q\.\s*CHỦ|PHÓ CHỦ TỊCH|CHỦ TỊCH\b|PHÓ BÍ THƯ|BÍ THƯ\b|THỦ TƯỚNG|PHÓ THỦ TƯỚNG|\[đã ký\])",
)
CLOSING_CUE = re.compile(r"^(Trên đây là|Trong quá trình (tổ chức )?(thực hiện|triển khai)|Ban Thường vụ Tỉnh ủy đề nghị|Nghị quyết này phổ biến|Kế hoạch này thay thế)")
SITE_JUNK = re.compile(
    r"^(Đăng xuất|Đăng nhập|Đăng ký|Việc làm|Tải về|Tải văn bản|Văn bản gốc|Văn bản liên quan|Lược đồ|Hỏi đáp|Tin tức|Bản in|In văn bản|Chia sẻ|Liên hệ|Quảng cáo|Trang chủ|Tìm kiếm|Xem thêm|Bình luận|Copyright|©)",
    re.IGNORECASE,
)
PAGE_NUMBER = re.compile(r"^\s*(?:[-–]\s*)?(?:Trang\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?(?:\s*[-–])?\s*$", re.IGNORECASE)
PIPE_SEP = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def strip_md(text: str) -> tuple[str, int | None, bool]:
    """Strip markdown heading marks, bold and italic wrappers.

    Returns (text, heading level or None, bold)."""
    level = None
    m = MD_HEADING.match(text)
    if m:
        level, text = len(m.group(1)), m.group(2).strip()
    bold = False
    m = BOLD_ALL.match(text)
    if m:
        text, bold = m.group(1).strip(), True
    else:
        m = BOLD_PREFIX.match(text)
        if m and m.group(2):
            text, bold = (m.group(1).strip() + " " + m.group(2).strip()).strip(), False
    m = ITALIC_ALL.match(text)
    if m:
        text = m.group(1).strip()
    else:
        m = ITALIC_PREFIX.match(text)
        if m and m.group(2):  # '*1.1. *Tiếp tục...', '*a) *Tổ chức...': an italic number before the text
            text = (m.group(1).strip() + " " + m.group(2).strip()).strip()
    text = unescape_md(text.replace("**", ""))
    return text, level, bold


@lru_cache(maxsize=65536)  # pure, and asked of the same line by several stages
def match_marker(text: str) -> tuple[str, str, str] | None:
    """(marker kind, label, rest) for a list-marked line, else None."""
    m = RE_ROMAN.match(text)
    if m and m.group(1):
        return "roman", m.group(1), m.group(2)
    m = RE_ARTICLE.match(text)
    if m:
        return "article", m.group(2), m.group(3)
    m = RE_CHAPTER.match(text)
    if m and m.group(1):
        return "chapter", m.group(1), m.group(2)
    for kind, rx in MARKER_RES:
        m = rx.match(text)
        if m:
            if kind == "dash":
                return kind, "-", m.group(1)
            if kind == "plus":
                return kind, "+", m.group(1)
            return kind, m.group(1), m.group(2)
    return None


@lru_cache(maxsize=65536)  # pure, and asked of the same line by several stages
def starts_with_marker(text: str) -> bool:
    t = text.lstrip()
    if t.startswith(("#", "**", "|")):
        return True
    if RE_APPENDIX.match(t):
        return True
    return match_marker(unescape_md(t)) is not None
