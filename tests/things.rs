//! The example domain (`src/things.rs`): its rules answer with the right
//! codes, whatever the numbers.

use apierror::ApiError;
use apierror_tests::things::{NewThing, Store, ThingError, Votes};

fn store_with_one_thing() -> (Store, u64) {
    let store = Store::default();
    let thing = store.create(NewThing { name: "thingy".into(), rating_out_of_five: 3 }).unwrap();
    (store, thing.id)
}

#[test]
fn votes_past_the_largest_count_are_too_many_not_negative() {
    let (store, id) = store_with_one_thing();
    let votes = Votes { increase_votes_by: i64::MAX };
    assert_eq!(store.vote(id, &votes).unwrap().votes, i64::MAX as u64);
    assert_eq!(store.vote(id, &votes).unwrap().votes, 2 * i64::MAX as u64);
    let err = store.vote(id, &votes).unwrap_err();
    assert!(matches!(err, ThingError::TooManyVotes { .. }), "{err:?}");
    assert_eq!(err.code(), "things.too_many_votes");
    assert_eq!(err.status(), 422);
    // Refused: the count is what it was.
    assert_eq!(store.get(id).unwrap().votes, 2 * i64::MAX as u64);
}

#[test]
fn votes_below_zero_are_negative() {
    let (store, id) = store_with_one_thing();
    let err = store.vote(id, &Votes { increase_votes_by: -1 }).unwrap_err();
    assert!(matches!(err, ThingError::NegativeVotes { would_be: -1, .. }), "{err:?}");
    assert_eq!(err.code(), "things.negative_votes");
}
