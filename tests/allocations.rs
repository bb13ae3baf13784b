//! Rendering in production allocates no more often than the hand-written
//! `serde` baseline (`benches/fixtures`), and produces the same bytes. A
//! regression guard that counts allocations, not a timing.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use apierror::Config;

#[path = "../benches/fixtures/mod.rs"]
#[allow(dead_code)] // shared with the benches, which use all of it
mod fixtures;

/// The system allocator, counting the allocations (and reallocations) of
/// the current thread, so the test harness's other threads don't count.
struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count() {
    // `try_with`: a thread being torn down has no counter, and is not ours.
    let _ = ALLOCATIONS.try_with(|count| count.set(count.get() + 1));
}

// SAFETY: every call is forwarded unchanged to `System`.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// How many times `f` allocates, after one warm-up call (first calls
/// register `tracing` callsites and the like).
fn allocations<T>(mut f: impl FnMut() -> T) -> usize {
    drop(f());
    let before = ALLOCATIONS.with(Cell::get);
    let result = f();
    let after = ALLOCATIONS.with(Cell::get);
    drop(result);
    after - before
}

#[test]
fn production_bodies_are_byte_identical_to_the_hand_written_baseline() {
    fixtures::assert_same_responses();
}

#[test]
fn production_renders_allocate_no_more_than_the_hand_written_baseline() {
    let production = Config::production();
    let mut report = Vec::new();
    for (name, err) in fixtures::errors() {
        let ours = allocations(|| fixtures::derive(&err, &production));
        let baseline = allocations(|| fixtures::baseline(&err));
        report.push(format!("{name}: derive {ours}, baseline {baseline}"));
        assert!(ours >= 1, "{name}: the counter sees the body buffer");
        assert!(
            ours <= baseline,
            "{name}: the derive allocates {ours} times per render, the hand-written baseline {baseline}"
        );
    }
    println!("allocations per render: {}", report.join("; "));
}
