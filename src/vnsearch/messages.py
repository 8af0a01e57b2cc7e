"""Every sentence vnsearch says to people, in English and Vietnamese, under a stable code.

The library never builds a sentence itself: errors (errors.py) and notices (`Notice`) carry a
code and its parameters, and whoever shows them picks the language: the CLI and the JSON API
English, the web page Vietnamese. A code is part of the API (JSON consumers may test it);
its wording may change.

Templates use str.format: `{name}`, `{name!r}`, `{name:g}`. Each code's two templates use the
same parameters (tests/test_messages.py checks that, and that every code used in the source is
here). An unknown code raises KeyError: that is a bug, not a message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

LANGUAGES = ("en", "vi")

MESSAGES: dict[str, tuple[str, str]] = {
    # -- how a query was understood or repaired (notices) --------------------------------------
    "query.cut": (
        "query cut to its first {count} characters",
        "Câu tìm kiếm đã được cắt còn {count} ký tự đầu.",
    ),
    "query.unclosed_quote": (
        "unclosed quote: closed at the end of the query",
        "Thiếu dấu ngoặc kép đóng: đã tự đóng ở cuối câu.",
    ),
    "query.no_letters": (
        "{text!r} has no letters or digits and was ignored",
        "Đã bỏ qua «{text}» vì không có chữ cái hay chữ số nào.",
    ),
    "query.not_a_word": (
        "{text!r} is not a word and was ignored",
        "Đã bỏ qua «{text}» vì không phải là từ.",
    ),
    "query.or_nothing_before": (
        "OR with nothing before it was ignored",
        "Đã bỏ qua OR không có gì đứng trước.",
    ),
    "query.or_nothing_after": (
        "OR with nothing after it was ignored",
        "Đã bỏ qua OR không có gì đứng sau.",
    ),
    "query.empty_filter": (
        "empty {name}: filter ignored",
        "Đã bỏ qua bộ lọc {name}: trống.",
    ),
    "query.filter_ignored": (  # reason: a nested Notice (date.*, year.invalid)
        "{reason}; the filter {filter} was ignored",
        "{reason}; đã bỏ qua bộ lọc {filter}.",
    ),
    "search.syllables_cut": (
        "only the first {count} syllables of the query were used",
        "Chỉ dùng {count} âm tiết đầu của câu tìm kiếm.",
    ),
    "search.relaxed": (
        "no document holds every word; showing those that hold most of them",
        "Không văn bản nào chứa đủ mọi từ; đang hiện các văn bản chứa phần lớn các từ.",
    ),
    "search.folded_fallback": (
        "a query typed with diacritics matched nothing; showing matches ignoring diacritics",
        "Không tìm thấy kết quả đúng dấu; đang hiện các kết quả không phân biệt dấu.",
    ),
    "page.past_end": (
        "page {page} is past the last page ({pages})",
        "Trang {page} vượt quá trang cuối cùng (trang {pages}).",
    ),
    # a filter's field inside a sentence (FieldLabel): its name in English, its label on the page
    "field.committee": (
        "committee",
        "cơ quan ban hành",
    ),
    "field.type": (
        "type",
        "loại văn bản",
    ),
    "filter.unknown_value": (
        "no document has {name} {value!r}; the nearest values in the index: {nearest}",
        "Không có văn bản nào có {name} «{value}»; các giá trị gần nhất trong chỉ mục: {nearest}.",
    ),
    "filter.no_values": (
        "no document has {name} {value!r}: the index holds no {name} values",
        "Không có văn bản nào có {name} «{value}»: chỉ mục chưa có giá trị {name} nào.",
    ),
    "filter.number_cited": (
        "no document has {number} as its own number; showing those that cite it ({count})",
        "Không có văn bản nào mang số hiệu {number}; đang hiện các văn bản nhắc đến số hiệu này ({count}).",
    ),
    "filter.number_unknown": (
        "no document has or cites the number {number}",
        "Không có văn bản nào mang hoặc nhắc đến số hiệu {number}.",
    ),
    "filter.cites_none": (
        "no document cites the number {number}",
        "Không có văn bản nào dẫn chiếu số hiệu {number}.",
    ),
    # -- queries that cannot be run (QueryError) ----------------------------------------------
    "query.not_text": (
        "the query must be text",
        "Câu tìm kiếm phải là văn bản.",
    ),
    "query.only_excluded": (
        "the query only excludes words: add at least one word to look for",
        "Câu tìm kiếm chỉ có từ cần loại trừ: hãy thêm ít nhất một từ cần tìm.",
    ),
    "query.no_words": (
        "the query has no words to look for",
        "Câu tìm kiếm không có từ nào để tìm.",
    ),
    # -- search options (InvalidOptionError) --------------------------------------------------
    "option.limit_range": (
        "limit must be between 1 and {max}",
        "Số kết quả mỗi trang phải từ 1 đến {max}.",
    ),
    "option.page_range": (
        "page must be between 1 and {max}",
        "Số trang phải từ 1 đến {max}.",
    ),
    "option.not_a_number": (
        "{name} must be a whole number, not {value!r}",
        "Tham số {name} phải là số nguyên, không phải «{value}».",
    ),
    "option.not_int": (
        "{name} must be an int, not {kind}",
        "Tham số {name} phải là số nguyên (int), không phải {kind}.",
    ),
    "option.not_text": (
        "{name} must be text (str) or None, not {kind}",
        "Tham số {name} phải là văn bản (str) hoặc None, không phải {kind}.",
    ),
    "option.not_date": (
        "{name} must be a date as text ('2024', '2024-06', '2024-06-15') or a datetime.date, not {kind}",
        "Tham số {name} phải là ngày dạng văn bản ('2024', '2024-06', '2024-06-15') hoặc datetime.date, không phải {kind}.",
    ),
    "option.sort": (
        "sort must be 'relevance' or 'date'",
        "Cách sắp xếp phải là «relevance» (liên quan nhất) hoặc «date» (mới nhất).",
    ),
    "option.bad_date": (
        "{value!r} is not a date (use YYYY-MM-DD)",
        "«{value}» không phải là ngày (dùng dạng năm-tháng-ngày).",
    ),
    "date.invalid": (
        "{value!r} is not a date (use YYYY, YYYY-MM, YYYY-MM-DD or DD/MM/YYYY)",
        "«{value}» không phải là ngày (dùng dạng năm, tháng/năm hoặc ngày/tháng/năm, ví dụ 2020, 03/2020, 15/03/2020).",
    ),
    "date.bad_year": (
        "{value!r} is not a date: {year} is not a year",
        "«{value}» không phải là ngày: {year} không phải là năm.",
    ),
    "date.bad_month": (
        "{value!r} is not a date: {month} is not a month (1-12)",
        "«{value}» không phải là ngày: {month} không phải là tháng (1-12).",
    ),
    "date.bad_day": (
        "{value!r} is not a date: {year}-{month:02d} has no day {day}",
        "«{value}» không phải là ngày: tháng {month}/{year} không có ngày {day}.",
    ),
    "year.invalid": (
        "{value!r} is not a year (use YYYY, e.g. 2012)",
        "«{value}» không phải là năm (dùng bốn chữ số, ví dụ 2012).",
    ),
    "option.dates_reversed": (
        "the start date {start} is after the end date {end}",
        "«Từ ngày» ({start}) phải trước «Đến ngày» ({end}).",
    ),
    "option.format": (
        "format must be 'json' or 'csv', not {value!r}",
        "Định dạng phải là «json» hoặc «csv», không phải «{value}».",
    ),
    "option.missing_query": (
        "missing parameter q (the query)",
        "Thiếu tham số q (câu tìm kiếm).",
    ),
    "option.missing_id": (
        "missing parameter id (the document's id)",
        "Thiếu tham số id (mã văn bản).",
    ),
    "cli.query_or_filter": (
        "missing argument 'QUERY': give words to look for, or a filter (--committee, --type, --from, --to)",
        "Thiếu QUERY: hãy cho từ cần tìm, hoặc một bộ lọc (--committee, --type, --from, --to).",
    ),
    "cli.all_needs_format": (
        "--all writes rows: give --format csv or --format jsonl",
        "--all ghi ra các dòng dữ liệu: hãy thêm --format csv hoặc --format jsonl.",
    ),
    "cli.options_exclusive": (
        "{first} cannot be combined with {second}",
        "Không thể dùng {first} cùng với {second}.",
    ),
    "export.cut": (
        "only the first {rows:,} of {total:,} matches are written (the most an export holds)",
        "Chỉ ghi {rows:,} trong số {total:,} kết quả đầu tiên (tối đa của một lần xuất).",
    ),
    # -- documents ------------------------------------------------------------------------------
    "document.text_not_string": (
        '"text" must be a string, not {kind}',
        "Trường «text» phải là chuỗi, không phải {kind}.",
    ),
    "document.bad_date": (
        "{value!r} is not a day: use YYYY-MM-DD (or DD/MM/YYYY)",
        "«{value}» không phải là một ngày: hãy ghi theo dạng YYYY-MM-DD (hoặc DD/MM/YYYY).",
    ),
    "document.date_not_text": (
        "date must be text such as \"2024-06-29\", not {kind}",
        "Ngày phải là văn bản, ví dụ \"2024-06-29\", không phải {kind}.",
    ),
    "corpus.not_found": (
        "no such file or folder: {paths}; nothing was indexed",
        "Không có tệp hoặc thư mục: {paths}; chưa có gì được đưa vào chỉ mục.",
    ),
    "document.empty": (
        "no text and no title",
        "Không có nội dung và không có tiêu đề.",
    ),
    "document.bad_type": (
        "documents must be Document objects or mappings, got {type}",
        "Văn bản phải là đối tượng Document hoặc mapping, không phải {type}.",
    ),
    "document.not_iterable": (
        "Index.add takes an iterable of documents, got one {type}",
        "Index.add cần một dãy văn bản, không phải một {type} đơn lẻ.",
    ),
    "document.unknown_fields": (
        "unknown document fields: {fields}",
        "Văn bản có trường không xác định: {fields}",
    ),
    "document.mapping_types": (
        "a document mapping needs an 'id' string, and 'title' and 'text' strings",
        "Văn bản dạng mapping cần 'id' là chuỗi, 'title' và 'text' là chuỗi.",
    ),
    "document.inferred": (
        "inferred from the text",
        "suy ra từ nội dung văn bản",
    ),
    "document.not_found": (
        "no document with id {id!r}",
        "Không có văn bản nào với mã «{id}».",
    ),
    # -- the index ------------------------------------------------------------------------------
    "index.exists": (
        "an index already exists at {path}",
        "Đã có chỉ mục tại {path}.",
    ),
    "index.foreign": (
        "{path} holds an index vnsearch did not write (no {file})",
        "{path} chứa một chỉ mục không do vnsearch tạo (không có {file}).",
    ),
    "index.not_found": (
        "no index at {path}",
        "Không có chỉ mục tại {path}.",
    ),
    "index.not_found_option": (
        "no index at {path} (the folder given with --index {given})",
        "Không có chỉ mục tại {path} (thư mục chỉ định bằng --index {given}).",
    ),
    "index.not_found_env": (
        "no index at {path} (the folder {envvar}={given} sets)",
        "Không có chỉ mục tại {path} (thư mục đặt bởi biến môi trường {envvar}={given}).",
    ),
    "index.not_found_default": (
        "no index at {path} (the default folder; --index or {envvar} choose another)",
        "Không có chỉ mục tại {path} (thư mục mặc định; chọn thư mục khác bằng --index hoặc {envvar}).",
    ),
    "index.format_damaged": (
        "{file} is damaged: {error}",
        "Tệp {file} bị hỏng: {error}",
    ),
    "index.version": (
        "{path} was built with index format {found}; this vnsearch reads format {expected}",
        "{path} được tạo với định dạng chỉ mục {found}; phiên bản vnsearch này đọc định dạng {expected}.",
    ),
    "index.no_data": (
        "{path} has no committed index data",
        "{path} chưa có dữ liệu chỉ mục nào được ghi xong.",
    ),
    "index.unreadable": (
        "cannot read the index at {path}: {error}",
        "Không đọc được chỉ mục tại {path}: {error}",
    ),
    "index.damaged": (
        "cannot read the index at {path}; it may be damaged ({error})",
        "Không đọc được chỉ mục tại {path}; có thể chỉ mục đã bị hỏng ({error}).",
    ),
    # -- the cluster engine (engine/sphinx) ------------------------------------------------------
    "cluster.no_timeline": (
        "the cluster engine does not count matches per year or month: no timeline",
        "Cụm máy chủ không đếm kết quả theo năm hay tháng: không có biểu đồ thời gian.",
    ),
    "cluster.node_down": (
        "cluster node {node} did not answer: {error}",
        "Nút {node} của cụm máy chủ không trả lời: {error}",
    ),
    "cluster.partial": (
        "some cluster nodes did not answer ({nodes}): results and counts are partial",
        "Một số nút của cụm máy chủ không trả lời ({nodes}): kết quả và số đếm chưa đầy đủ.",
    ),
    "cluster.unranked": (
        "the shards on {nodes} outgrew their RAM chunk; the documents beyond it are not ranked (add nodes)",
        "Phân đoạn trên {nodes} đã vượt quá vùng nhớ RAM; các văn bản ngoài vùng đó không được xếp hạng (hãy thêm nút).",
    ),
    "cluster.query_failed": (
        "cluster node {node} refused a query: {error}",
        "Nút {node} của cụm máy chủ từ chối một truy vấn: {error}",
    ),
    "cluster.no_index": (
        "cluster node {node} has no vnsearch index: {error}",
        "Nút {node} của cụm máy chủ không có chỉ mục vnsearch: {error}",
    ),
    "cluster.not_created": (
        "no vnsearch index has been created at {url}",
        "Chưa có chỉ mục vnsearch nào được tạo tại {url}.",
    ),
    "cluster.layout_mismatch": (
        "{url} names {nodes} nodes but the cluster has {shards} shards",
        "{url} nêu {nodes} nút nhưng cụm máy chủ có {shards} phân đoạn.",
    ),
    "cluster.bad_url": (
        "{url!r} is not an engine URL (sphinxql://HOST:PORT[,HOST:PORT...]/NAME)",
        "«{url}» không phải là địa chỉ máy tìm kiếm (sphinxql://MÁY:CỔNG[,MÁY:CỔNG...]/TÊN).",
    ),
    "cluster.bad_node": (
        "{spec!r} is not a node (HOST:PORT or HOST:PORT:API_PORT)",
        "«{spec}» không phải là một nút (MÁY:CỔNG hoặc MÁY:CỔNG:CỔNG_API).",
    ),
    "cluster.no_nodes": (
        "--nodes names no node",
        "--nodes không nêu nút nào.",
    ),
    "cluster.node_twice": (
        "--nodes names a node twice",
        "--nodes nêu một nút hai lần.",
    ),
    "cluster.no_driver": (
        "the cluster engine needs the pymysql package",
        "Máy tìm kiếm dạng cụm cần gói pymysql.",
    ),
    "cluster.no_searchd": (
        "searchd (Sphinx) is not installed: apt-get install sphinxsearch",
        "Chưa cài searchd (Sphinx): apt-get install sphinxsearch",
    ),
    "cluster.start_failed": (
        "searchd for node {node} did not start: {output}",
        "searchd của nút {node} không khởi động được: {output}",
    ),
    "cluster.no_snapshot": (
        "a cluster index runs whole searches; it has no per-document snapshot",
        "Chỉ mục trên cụm máy chủ chạy cả lượt tìm kiếm; nó không có ảnh chụp theo từng văn bản.",
    ),
    "cluster.no_citations": (
        "citations, related documents and cites: searches need an embedded index; a cluster index does not offer them",
        "Dẫn chiếu, văn bản liên quan và tìm theo cites: cần chỉ mục nhúng; chỉ mục trên cụm máy chủ chưa hỗ trợ.",
    ),
    "index.locked": (
        "another process is writing to the index at {path}",
        "Một tiến trình khác đang ghi vào chỉ mục tại {path}.",
    ),
    "index.worker_died": (
        "an indexing worker process died",
        "Một tiến trình lập chỉ mục đã dừng đột ngột.",
    ),
    "index.worker_failed": (
        "an indexing worker failed: {detail}",
        "Một tiến trình lập chỉ mục bị lỗi: {detail}",
    ),
    "index.start_method": (
        "{variable}={value!r} is not a way to start worker processes here (one of: {choices})",
        "{variable}={value!r} không phải là cách khởi động tiến trình phụ dùng được ở đây (chọn một trong: {choices}).",
    ),
    "lock.busy": (
        "another 'vnsearch index' is writing to the index at {path}",
        "Một lệnh «vnsearch index» khác đang ghi vào chỉ mục tại {path}.",
    ),
    "lock.busy_by": (
        "another 'vnsearch index' is writing to the index at {path} ({holder})",
        "Một lệnh «vnsearch index» khác đang ghi vào chỉ mục tại {path} ({holder}).",
    ),
    "lock.timeout": (
        "the index at {path} was still being written after {seconds:g} s of waiting",
        "Chỉ mục tại {path} vẫn đang được ghi sau {seconds:g} giây chờ.",
    ),
    # -- the word segmenter ---------------------------------------------------------------------
    "segment.no_pyvi": (
        "pyvi is not installed",
        "Chưa cài đặt pyvi.",
    ),
    "segment.bad_model": (
        "pyvi's model file has an unexpected layout",
        "Tệp mô hình của pyvi có cấu trúc không như mong đợi.",
    ),
    # -- the command line and the web server ----------------------------------------------------
    "cli.not_in_index": (
        "not in the index: {ids}",
        "Không có trong chỉ mục: {ids}",
    ),
    "progress.reading": (
        "{percent:.0f}% read ({done} of {total}), {documents}, about {eta} left",
        "Đã đọc {percent:.0f}% ({done} / {total}), {documents}, còn khoảng {eta}",
    ),
    "progress.writing": (
        "all {total} read, {documents}; writing the index…",
        "Đã đọc hết {total}, {documents}; đang ghi chỉ mục…",
    ),
    "serve.worker_failed": (
        "a server worker could not start (its error is above)",
        "Một tiến trình phục vụ không khởi động được (lỗi ở phía trên).",
    ),
    "serve.worker_died": (
        "server worker {pid} stopped; the server stops with it",
        "Tiến trình phục vụ {pid} đã dừng; máy chủ dừng theo.",
    ),
    "serve.threads_only": (
        "this platform cannot fork: {workers} workers are served by one process",
        "Hệ điều hành này không hỗ trợ fork: {workers} tiến trình được phục vụ bởi một tiến trình.",
    ),
    "serve.ready": (
        "Serving {path} at {url} with {workers} (Ctrl+C to stop)",
        "Đang phục vụ {path} tại {url} với {workers} (Ctrl+C để dừng)",
    ),
    "serve.cannot_listen": (
        "cannot listen on {host}:{port}: {reason}",
        "Không mở được cổng {host}:{port}: {reason}",
    ),
    # -- hints: what to do about an error -------------------------------------------------------
    "hint.open_existing": (
        "open it with Index.open, or pass exist_ok=True",
        "hãy mở bằng Index.open, hoặc truyền exist_ok=True",
    ),
    "hint.wrap_in_list": (
        "wrap it in a list: ix.add([document])",
        "hãy đặt nó trong một danh sách: ix.add([document])",
    ),
    "hint.document_fields": (
        "known fields: id, title, text, date, committee, doc_type, number, url, cited_numbers, extras",
        "các trường được biết: id, title, text, date, committee, doc_type, number, url, cited_numbers, extras",
    ),
    "hint.build_index": (
        "build one first with: vnsearch index corpus/",
        "hãy tạo chỉ mục trước: vnsearch index corpus/",
    ),
    "hint.build_index_at": (
        "build one first with: vnsearch index corpus/ --index {given}",
        "hãy tạo chỉ mục trước: vnsearch index corpus/ --index {given}",
    ),
    "hint.rebuild_index": (
        "rebuild it: delete the index folder and run vnsearch index again",
        "hãy tạo lại: xoá thư mục chỉ mục rồi chạy lại vnsearch index",
    ),
    "hint.wait_for_indexer": (
        "wait for the other 'vnsearch index' to finish, then run this again",
        "hãy chờ lệnh «vnsearch index» kia chạy xong rồi chạy lại",
    ),
    "hint.wait_or_use_wait": (
        "wait for it to finish and run this again, or add --wait to start as soon as it is done",
        "hãy chờ lệnh kia chạy xong rồi chạy lại, hoặc thêm --wait để tự bắt đầu khi lệnh kia xong",
    ),
    "hint.cluster_nodes": (
        "check that searchd runs on every node of the cluster (vnsearch cluster status)",
        "Hãy kiểm tra searchd đang chạy trên mọi nút của cụm (vnsearch cluster status).",
    ),
    "hint.cluster_config": (
        "start the node with a configuration written by 'vnsearch cluster config'",
        "Hãy khởi động nút với cấu hình do 'vnsearch cluster config' tạo ra.",
    ),
    "hint.cluster_create": (
        "create it by indexing with the URL of every node: vnsearch index PATH --engine sphinxql://HOST1:PORT,HOST2:PORT/NAME",
        "Hãy tạo bằng cách lập chỉ mục với địa chỉ của mọi nút: vnsearch index PATH --engine sphinxql://MÁY1:CỔNG,MÁY2:CỔNG/TÊN",
    ),
    "hint.install_cluster": (
        "install it: pip install 'vnsearch[cluster]'",
        "Hãy cài đặt: pip install 'vnsearch[cluster]'",
    ),
    "hint.try_later": (
        "try again later",
        "hãy thử lại sau",
    ),
    "hint.ids_from_search": (
        "ids are shown by 'vnsearch search'",
        "mã văn bản được hiện trong kết quả của «vnsearch search»",
    ),
    "hint.install_pyvi": (
        "install it: pip install pyvi",
        "hãy cài đặt: pip install pyvi",
    ),
    "hint.other_port": (
        "choose another port with --port",
        "hãy chọn cổng khác với --port",
    ),
    "hint.check_host_port": (
        "check --host and --port",
        "hãy kiểm tra --host và --port",
    ),
}


def render(code: str, params: Mapping[str, Any] | None = None, lang: str = "en") -> str:
    """The sentence for `code` in `lang` ("en" or "vi") with `params` filled in."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
    template = MESSAGES[code][LANGUAGES.index(lang)]
    # A Notice among the parameters is a sentence inside a sentence: rendered in the same
    # language, without its full stop.
    filled = {key: _in_language(value, lang) for key, value in (params or {}).items()}
    return template.format(**filled)


def _in_language(value: Any, lang: str) -> Any:
    if isinstance(value, Notice):
        return value.text(lang).rstrip(".")
    if isinstance(value, FieldLabel):
        return MESSAGES[f"field.{value}"][LANGUAGES.index(lang)]
    return value


class FieldLabel(str):
    """A filter's field named in a sentence ("committee"): its catalogue label in the sentence's
    language ("cơ quan ban hành"), so no English name shows in Vietnamese text. It is the plain
    name everywhere else: in a notice's JSON params, in comparisons, when pickled."""

    __slots__ = ()


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, Notice):
        return value.to_dict()
    return str(value)  # paths and the like


@dataclass(frozen=True, eq=False)  # equality and hash below: params is a mapping
class Notice:
    """How a query was understood or repaired: a catalogue code and its parameters."""

    code: str  # e.g. "query.unclosed_quote"
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Read-only, so a frozen notice stays frozen; a copy, so the caller's dict may change.
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    def text(self, lang: str = "en") -> str:
        return render(self.code, self.params, lang)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: code, parameters and the English sentence."""
        return {
            "code": self.code,
            "params": {key: _jsonable(value) for key, value in self.params.items()},
            "message": self.text("en"),
        }

    def __str__(self) -> str:
        return self.text("en")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Notice):
            return NotImplemented
        return self.code == other.code and dict(self.params) == dict(other.params)

    def __hash__(self) -> int:
        return hash((self.code, tuple(sorted((key, repr(value)) for key, value in self.params.items()))))

    def __repr__(self) -> str:
        return f"Notice({self.code!r}, {dict(self.params)!r})"

    def __reduce__(self) -> tuple[Any, ...]:  # MappingProxyType does not pickle
        return (Notice, (self.code, dict(self.params)))
