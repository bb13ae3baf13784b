//! A global allocator that counts the current thread's allocations, for the
//! tests that guard how often rendering allocates (`tests/allocations.rs`,
//! `tests/db_allocations.rs`). A test binary that includes this module
//! (`mod counting;`) installs it as its `#[global_allocator]`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

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

/// How many times this thread has allocated so far.
#[allow(dead_code)] // each test binary uses what it needs
pub fn so_far() -> usize {
    ALLOCATIONS.with(Cell::get)
}

/// How many times one call of `f` allocates (dropping its result not
/// counted).
pub fn of<T>(f: impl FnOnce() -> T) -> usize {
    let before = so_far();
    let result = f();
    let after = so_far();
    drop(result);
    after - before
}
