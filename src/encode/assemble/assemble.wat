;; Record assembly: copies a compiled template's static text and its resolved values into a record.
;;
;; JavaScript pays ~17 ns per TypedArray.prototype.set call and CloudTrail records are ~35 short copies, so the
;; copies are done here, in one call per record. Everything lives in one shared memory (the thread's arena):
;; static text, the program (ops), the value table (ptr, len per slot) and the destination.
;;
;; Ops are little-endian i32 words:
;;   0 STATIC   ptr len                       copy len bytes from ptr
;;   1 VALUE    entry                         copy table[entry] (entry = byte offset of a (ptr, len) pair)
;;   2 GROUP    entry skip                    when the value is empty, skip the next `skip` bytes of ops
;; (an optional key is a GROUP around its prefix, value and tail). There is one copy loop, inline: V8 does not
;; inline wasm calls, and a call per copy costs as much as the copy.
;; assemble returns the end of the record, or -1 if it would pass `limit` (the caller then writes it another way).
(module
  (import "env" "memory" (memory 1 65536 shared))

  (func (export "assemble") (param $op i32) (param $end i32) (param $table i32) (param $dst i32) (param $limit i32) (result i32)
    (local $kind i32) (local $entry i32) (local $src i32) (local $len i32) (local $stop i32) (local $tail i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $op) (local.get $end)))
        (local.set $kind (i32.load (local.get $op)))
        (if (i32.eqz (local.get $kind))
          (then
            (local.set $src (i32.load offset=4 (local.get $op)))
            (local.set $len (i32.load offset=8 (local.get $op)))
            (local.set $op (i32.add (local.get $op) (i32.const 12))))
          (else
            (local.set $entry (i32.add (local.get $table) (i32.load offset=4 (local.get $op))))
            (local.set $len (i32.load offset=4 (local.get $entry)))
            (if (i32.ne (local.get $kind) (i32.const 1))
              (then
                ;; GROUP: enter it, or skip it when its value is empty.
                (if (i32.eqz (local.get $len))
                  (then (local.set $op (i32.add (local.get $op) (i32.load offset=8 (local.get $op))))))
                (local.set $op (i32.add (local.get $op) (i32.const 12)))
                (br $next)))
            (local.set $src (i32.load (local.get $entry)))
            (local.set $op (i32.add (local.get $op) (i32.const 8)))))
        (local.set $stop (i32.add (local.get $dst) (local.get $len)))
        (if (i32.gt_u (local.get $stop) (local.get $limit)) (then (return (i32.const -1))))
        (if (i32.ge_u (local.get $len) (i32.const 128))
          (then
            (memory.copy (local.get $dst) (local.get $src) (local.get $len))
            (local.set $dst (local.get $stop))
            (br $next)))
        (if (i32.ge_u (local.get $len) (i32.const 8))
          (then
            ;; Whole words, then the last word again ending exactly at the end (it may overlap): no byte loop.
            (local.set $tail (i32.sub (local.get $len) (i32.const 8)))
            (i64.store align=1 (i32.add (local.get $dst) (local.get $tail)) (i64.load align=1 (i32.add (local.get $src) (local.get $tail))))
            (block $words_done
              (loop $words
                (br_if $words_done (i32.ge_u (i32.add (local.get $dst) (i32.const 8)) (local.get $stop)))
                (i64.store align=1 (local.get $dst) (i64.load align=1 (local.get $src)))
                (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
                (local.set $src (i32.add (local.get $src) (i32.const 8)))
                (br $words)))
            (local.set $dst (local.get $stop))
            (br $next)))
        (if (i32.ge_u (local.get $len) (i32.const 4))
          (then
            (i32.store align=1 (i32.sub (local.get $stop) (i32.const 4)) (i32.load align=1 (i32.sub (i32.add (local.get $src) (local.get $len)) (i32.const 4))))
            (i32.store align=1 (local.get $dst) (i32.load align=1 (local.get $src)))
            (local.set $dst (local.get $stop))
            (br $next)))
        (block $bytes_done
          (loop $bytes
            (br_if $bytes_done (i32.ge_u (local.get $dst) (local.get $stop)))
            (i32.store8 (local.get $dst) (i32.load8_u (local.get $src)))
            (local.set $dst (i32.add (local.get $dst) (i32.const 1)))
            (local.set $src (i32.add (local.get $src) (i32.const 1)))
            (br $bytes)))
        (br $next)))
    (local.get $dst))
)
