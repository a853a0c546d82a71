"""Running the pipeline: the map stage (:mod:`.annotate`: one parse, every per-article finder), the reduce
(:mod:`.reduce`: every corpus stage, pure), placing articles in families and stories (:mod:`.place`), the
local runner that owns I/O and the store (:mod:`.runner`), its worker processes (:mod:`.workers`), the Dask
engine (:mod:`.dask_engine`), the progress protocol they report through (:mod:`.progress`), and the feed
follower that feeds the store as reports come out (:mod:`.watch`).
"""
