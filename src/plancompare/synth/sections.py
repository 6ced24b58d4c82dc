"""The child's task sections: the parent's sections mirrored, new tasks added, tasks reordered.

A section keeps its parent section's title (localised) or, where the parent has none, gets a
topic title from :data:`SECTION_TOPICS`. Added tasks come from :data:`ADD_POOL` (those that
do not start a parent task). A section longer than the alphabet is continued in another.
"""

from __future__ import annotations

import re
from random import Random

from ..models import ParsedDocument, Task
from .edits import localize
from .model import VN_LETTERS, ChildSection, ChildTask, label_tasks
from .truth import truth_norm

__all__ = ["ADD_POOL", "SECTION_TOPICS", "mirror_sections", "add_tasks", "reorder", "final_sections"]

ADD_POOL = [
    "Tổ chức khảo sát nhu cầu ứng dụng công nghệ số của các hộ kinh doanh trên địa bàn phường, tổng hợp danh sách hộ cần hỗ trợ và đề xuất giải pháp phù hợp.",
    "Thành lập tổ hỗ trợ người dân thực hiện dịch vụ công trực tuyến tại bộ phận một cửa, bố trí ít nhất hai công chức trực hướng dẫn trong giờ hành chính.",
    "Xây dựng mô hình khu phố số thí điểm, trong đó mỗi hộ gia đình có ít nhất một thành viên sử dụng thành thạo ứng dụng định danh điện tử.",
    "Phát động cuộc thi tìm hiểu về chuyển đổi số dành cho học sinh các trường trung học cơ sở trên địa bàn, trao giải vào dịp khai giảng năm học mới.",
    "Rà soát, cập nhật danh mục các điểm phát sóng Internet không dây miễn phí tại nhà văn hóa khu phố, chợ và các điểm sinh hoạt cộng đồng.",
    "Hướng dẫn các chợ truyền thống trên địa bàn triển khai thanh toán không dùng tiền mặt bằng mã QR tại ít nhất một nửa số quầy hàng.",
    "Tổ chức lớp bồi dưỡng kỹ năng số cơ bản cho thành viên Tổ công nghệ số cộng đồng ở từng khu phố, mỗi năm ít nhất một đợt.",
    "Số hóa toàn bộ hồ sơ hộ tịch lưu trữ tại phường, kết nối với cơ sở dữ liệu hộ tịch điện tử theo hướng dẫn của cơ quan chuyên môn cấp trên.",
    "Bố trí một góc trải nghiệm công nghệ số tại trụ sở UBND phường để người dân được hướng dẫn cài đặt và sử dụng các ứng dụng thiết yếu.",
    "Vận động các hợp tác xã và tổ hợp tác trên địa bàn đưa sản phẩm chủ lực lên sàn thương mại điện tử, gắn mã truy xuất nguồn gốc sản phẩm.",
    "Đưa nội dung phổ biến kiến thức về an toàn thông tin cá nhân vào các buổi sinh hoạt khu phố, tổ dân phố định kỳ hằng tháng.",
    "Thiết lập nhóm thông tin điện tử giữa UBND phường với trưởng khu phố để tiếp nhận phản ánh, kiến nghị của người dân về dịch vụ công.",
    "Tổ chức ngày hội chuyển đổi số của phường mỗi năm một lần, giới thiệu các sản phẩm, dịch vụ số của doanh nghiệp và hộ kinh doanh địa phương.",
    "Khảo sát mức độ hài lòng của người dân đối với việc giải quyết thủ tục hành chính trên môi trường điện tử, công bố kết quả sáu tháng một lần.",
    "Phối hợp với trường học trên địa bàn duy trì câu lạc bộ khoa học và sáng tạo cho thiếu niên, tổ chức trưng bày sản phẩm vào cuối năm học.",
    "Cập nhật bản đồ số các thiết chế văn hóa, thể thao và điểm du lịch trên địa bàn phường để người dân, du khách tra cứu trực tuyến.",
]

SECTION_TOPICS: list[tuple[str, str]] = [
    (r"tuyên truyền|nhận thức|phong trào|thi đua", "Nâng cao nhận thức, đổi mới tư duy về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số"),
    (r"thể chế|cơ chế|chính sách|văn bản quy phạm", "Hoàn thiện cơ chế, chính sách, tháo gỡ điểm nghẽn"),
    (r"hạ tầng|dữ liệu|nền tảng", "Tăng cường đầu tư, hoàn thiện hạ tầng số và dữ liệu"),
    (r"nhân lực|đào tạo|bồi dưỡng|nhân tài", "Phát triển nguồn nhân lực chất lượng cao"),
    (r"dịch vụ công|thủ tục hành chính|an toàn thông tin|an ninh mạng", "Đẩy mạnh chuyển đổi số trong cơ quan nhà nước, bảo đảm an toàn thông tin"),
    (r"doanh nghiệp|khởi nghiệp|thương mại điện tử", "Thúc đẩy doanh nghiệp đổi mới sáng tạo và chuyển đổi số"),
    (r"hợp tác|quốc tế|liên kết", "Tăng cường hợp tác, liên kết trong phát triển khoa học, công nghệ"),
    (r"kiểm tra|giám sát|đánh giá", "Giám sát, đánh giá và tuyên truyền"),
]


def _section_title(tasks: list[Task], used: list[str], index: int) -> str:
    joined = " ".join(t.text.lower() for t in tasks)
    best, score = None, 0
    for rx, title in SECTION_TOPICS:
        n = len(re.findall(rx, joined))
        if n > score and title not in used:
            best, score = title, n
    return best or f"Các nhiệm vụ, giải pháp khác (nhóm {index})"


def _groups(body: list[Task]) -> dict[str, list[int]]:
    """The body tasks' indexes by section path, in the parent's order."""
    groups: dict[str, list[int]] = {}
    for i, t in enumerate(body):
        groups.setdefault(t.section_path or "?", []).append(i)
    return groups


def _titles(parent: ParsedDocument, body: list[Task], groups: dict[str, list[int]]) -> dict[str, str]:
    titles: dict[str, str] = {}
    used: list[str] = []
    for idx, sp in enumerate(groups, 1):
        sec = next((s for s in parent.sections if s.path == sp), None)
        title = sec.title if sec and sec.title else None
        if title:
            title = localize(title) or title
            title = re.sub(r"[.:;]+$", "", title.replace("\n", " ")).strip()
        if not title:
            title = _section_title([body[i] for i in groups[sp]], used, idx)
        used.append(title)
        titles[sp] = title
    return titles


def mirror_sections(parent: ParsedDocument, body: list[Task], placed: dict[int, list[ChildTask]]) -> list[ChildSection]:
    """One child section per parent section, with the child tasks of its parent tasks in order
    (a merged task sits where its first parent was)."""
    groups = _groups(body)
    titles = _titles(parent, body, groups)
    return [ChildSection(title=titles[sp], tasks=[c for i in groups[sp] for c in placed.get(i, []) if c.origin[0] == i]) for sp in groups]


def add_tasks(parent: ParsedDocument, sections: list[ChildSection], n: int, rng: Random) -> None:
    """Insert ``n`` new tasks (from :data:`ADD_POOL`, none starting a parent task) at random places."""
    parent_norms = [truth_norm(t.text) for t in parent.tasks]
    pool: list[str] = []
    for s_ in ADD_POOL:
        head = truth_norm(s_)[:60]
        if not any(p.startswith(head) for p in parent_norms):
            pool.append(s_)
    rng.shuffle(pool)
    for text in pool[: max(0, n)]:
        c = ChildTask(text=text, origin=[], status="added", ops=["add"])
        nonempty = [s for s in sections if s.tasks] or sections
        sec = rng.choice(nonempty)
        sec.tasks.insert(rng.randint(0, len(sec.tasks)), c)


def reorder(sections: list[ChildSection], p: float, rng: Random) -> None:
    """With probability ``p`` per section shuffle a window of its tasks; with probability ``p``
    move one task to another section."""
    for sec in sections:
        if len(sec.tasks) >= 3 and rng.random() < p:
            a = rng.randrange(0, len(sec.tasks) - 1)
            b = min(len(sec.tasks), a + rng.choice([2, 3, 4]))
            window = sec.tasks[a:b]
            rng.shuffle(window)
            sec.tasks[a:b] = window
    if len(sections) >= 2 and rng.random() < p:
        src = rng.choice([s for s in sections if len(s.tasks) >= 2] or sections)
        dst = rng.choice([s for s in sections if s is not src])
        if src.tasks:
            moved = src.tasks.pop(rng.randrange(len(src.tasks)))
            dst.tasks.insert(rng.randint(0, len(dst.tasks)), moved)


def final_sections(sections: list[ChildSection], style: str) -> list[ChildSection]:
    """Empty sections dropped, sections longer than the alphabet continued, all numbered and labelled."""
    final: list[ChildSection] = []
    for sec in sections:
        if not sec.tasks:
            continue
        chunks = [sec.tasks[k: k + len(VN_LETTERS)] for k in range(0, len(sec.tasks), len(VN_LETTERS))]
        for ci, chunk in enumerate(chunks):
            final.append(ChildSection(title=sec.title + (" (tiếp theo)" if ci else ""), tasks=chunk))
    label_tasks(final, style)
    return final
