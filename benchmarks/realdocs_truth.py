"""Hand-read identity of the 25 documents of ../shared/realdocs/ (kind, issuer, cited parents).

counts.json there gives the number and the counts; the signing date is in each file's name
(`<place>_<number>_<date>.md`, checked against the documents by the README's author). This
module adds what the README's table gives as text, in the parser's vocabulary: the kind of the
document itself (a decision issuing a plan is a 'Quyết định'), the issuer ('UBND tỉnh X',
'UBND thành phố X', 'Chủ tịch UBND ...' for a chairman's decision) and the documents its preamble
cites directly ('Căn cứ' / 'Thực hiện'), a law without a number as 'Luật'.

Where this list departs from the README's "cites" column it says why (documents named inside
another's description are nested mentions here, not cited parents).
"""

# file: (kind, issuer, cited parents in order)
TRUTH = {
    # README also lists 66-NQ/TW: named inside 24/KH-UBND's description ("... thực hiện Nghị quyết số 66-NQ/TW"), a nested mention here
    "bac-ninh_141-KH-UBND_2025-11-20.md": ('Kế hoạch', 'UBND tỉnh Bắc Ninh', ['14-KH/TU', '24/KH-UBND']),
    "bo-vhttdl_4385-QD-BVHTTDL_2025-11-18.md": ('Quyết định', 'Bộ Văn hóa, Thể thao và Du lịch', ['Luật', 'Luật', 'Luật', '61/2022/QH15', '81/2023/QH15', '37/2019/NĐ-CP', '58/2023/NĐ-CP', '22/2025/NĐ-CP', '43/2025/NĐ-CP', '90/NQ-CP', '991/QĐ-TTg', '1226/QĐ-BVHTTDL', '10902/VPCP-KGVX']),
    "can-tho_153-KH-UBND_2025-11-17.md": ('Kế hoạch', 'UBND thành phố Cần Thơ', ['7619/QĐ-BCA']),
    "can-tho_157-KH-UBND_2025-11-18.md": ('Kế hoạch', 'UBND thành phố Cần Thơ', ['21/CT-TTg', '552/TB-VPCP']),
    "can-tho_159-KH-UBND_2025-11-19.md": ('Kế hoạch', 'UBND thành phố Cần Thơ', ['06/2022/TT-BTTTT', '01/2025/TT-BTTTT', '55/2023/TT-BTC', '75/2024/TT-BTC', '650/QĐ-LĐTBXH', '206/NQ-HĐND', '77/KH-UBND', '2140/QĐ-UBND']),
    "can-tho_165-KH-UBND_2025-11-21.md": ('Kế hoạch', 'UBND thành phố Cần Thơ', ['27/CT-TTg', '6676/BYT-CDS']),
    "can-tho_2610-QD-UBND_2025-11-24.md": ('Quyết định', 'Chủ tịch UBND thành phố Cần Thơ', ['Luật', 'Luật', 'Luật', 'Luật', '749/QĐ-TTg', '942/QĐ-TTg', '46/KH-UBND']),
    "chinh-phu_2530-QD-TTg_2025-11-19.md": ('Quyết định', 'Thủ tướng Chính phủ', ['Luật', 'Luật', '35/2025/NĐ-CP', '08/2022/NĐ-CP', '05/2025/NĐ-CP', '01/NQ-CP', '611/QĐ-TTg', '450/QĐ-TTg']),
    "chinh-phu_2623-QD-TTg_2025-11-29.md": ('Quyết định', 'Thủ tướng Chính phủ', ['Luật', 'Luật']),
    "chinh-phu_624-TB-VPCP_2025-11-16.md": ('Thông báo', 'Văn phòng Chính phủ', []),
    "dak-lak_0134-KH-UBND_2025-11-25.md": ('Kế hoạch', 'UBND tỉnh Đắk Lắk', ['Luật', 'Luật', '08/2022/NĐ-CP', '05/2025/NĐ-CP', '1746/QĐ-TTg', '1747/QĐ-TTg', '32/2014/TT-BNNPTNT', '04/2016/TT-BNNPTNT', '12/2024/TT-BNNPTNT', '10/2021/TT-BTNMT', '4255/QĐ-BNN-KHCN', '513/QĐ-TCTS-NTTS', '1529/QĐ-UBND', '01348/QĐ-UBND', '66/2018/QĐ-UBND', '323/QĐ-UBND', '190/QĐ-UBND', '18/KH-UBND']),
    "dong-nai_182-KH-UBND_2025-11-20.md": ('Kế hoạch', 'UBND tỉnh Đồng Nai', ['163/2024/QH15', '50/NQ-CP', '7619/QĐ-BCA']),
    # README also lists 10-CTr/TU: the second document of a "; ..." clause without a cue is read as nested, the rule by which
    # Tân Lập's "...; Chương trình số 61-CTr/TU ... và Kế hoạch hành động số 283-KH/TU" does not make 283-KH/TU its parent
    "dong-thap_552-KH-UBND_2025-11-19.md": ('Kế hoạch', 'UBND tỉnh Đồng Tháp', ['57-NQ/TW', '71/NQ-CP', '30-TB/TGV', '283/KH-UBND']),
    "dong-thap_556-KH-UBND_2025-11-19.md": ('Kế hoạch', 'UBND tỉnh Đồng Tháp', ['48/NQ-CP']),
    "dong-thap_597-KH-UBND_2025-11-27.md": ('Kế hoạch', 'UBND tỉnh Đồng Tháp', ['57-NQ/TW', '71/NQ-CP', '1644/QĐ-BXD', '03-QĐ/BCĐ']),
    "ha-noi_308-KH-UBND_2025-11-17.md": ('Kế hoạch', 'UBND thành phố Hà Nội', ['214/NQ-CP', '278/2025/NĐ-CP', '142/QĐ-TTg', '1229/QĐ-UBND']),
    "ha-tinh_624-KH-UBND_2025-11-19.md": ('Kế hoạch', 'UBND tỉnh Hà Tĩnh', ['2270/QĐ-TTg']),
    "ho-chi-minh_174-KH-UBND_2025-11-18.md": ('Kế hoạch', 'UBND thành phố Hồ Chí Minh', ['202/2025/QH15', '178/QĐ-TTg', '2232/QĐ-TTg', '2282/QĐ-TTg', '28/NQ-CP', '101/QĐ-TTg', '02-TT/TU', '8935/BNV-CTTN&BĐG']),
    # the README's "+" entries (the amending Luật of 29/11/2024, 62/2020/QH14) are read as nested in the law they amend
    "ho-chi-minh_2820-QD-UBND_2025-11-19.md": ('Quyết định', 'UBND thành phố Hồ Chí Minh', ['72/2025/QH15', 'Luật', '67/2006/QH11', '60/2024/QH15', '31/2024/QH15', '20/2023/QH15', '50/2014/QH13', '27/2018/QH14', '58/2024/QH15', '24/2018/QH14', '104/2016/QH13', '86/2015/QH13', '03/NQ-CP', '749/QĐ-TTg', '06/QĐ-TTg', '98/2023/QH15', '66.2/2025/NQ-CP', '1629/QĐ-TTg', '790/QĐ-TTg', '1711/QĐ-TTg', '3103/QĐ-BTC', '01/2025/QĐ-UBND', '4354/KH-UBND']),
    "ho-chi-minh_2853-QD-UBND_2025-11-21.md": ('Quyết định', 'UBND thành phố Hồ Chí Minh', ['Luật', 'Luật', 'Luật', 'Luật', '42-CT/TW', '66/2021/NĐ-CP', '78/2021/NĐ-CP', '63/2025/NĐ-CP', '131/2025/NĐ-CP', '200/2025/NĐ-CP', '379/QĐ-TTg', '553/QĐ-TTg']),
    "hue_125-2025-QD-UBND_2025-11-24.md": ('Quyết định', 'UBND thành phố Huế', ['72/2025/QH15', '64/2025/QH15', '87/2025/QH15', '78/2025/NĐ-CP', '187/2025/NĐ-CP', '05/2025/TT-BDTTG', '03/2022/TT-BTP']),
    "nghe-an_1026-KH-UBND_2025-11-26.md": ('Kế hoạch', 'UBND tỉnh Nghệ An', ['32/CT-TTg']),
    "nghe-an_980-KH-UBND_2025-11-18.md": ('Kế hoạch', 'UBND tỉnh Nghệ An', ['1899/QĐ-TTg']),
    "son-la_2954-QD-UBND_2025-11-20.md": ('Quyết định', 'UBND tỉnh Sơn La', ['Luật', '493/QĐ-TTg']),
    "thanh-hoa_235-KH-UBND_2025-11-18.md": ('Kế hoạch', 'UBND tỉnh Thanh Hóa', ['4255/QĐ-BNN-KHCN', '223/KH-UBND']),
}
