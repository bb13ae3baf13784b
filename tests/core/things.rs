//! The example domain (`src/things.rs`): its rules answer with the right
//! codes, whatever the numbers.

use apierror::ApiError;
use apierror_examples::things::{NewThing, Store, ThingError, Votes};

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

#[test]
fn the_rating_is_checked_by_the_store_too() {
    // Over HTTP `Valid<Json<NewThing>>` answers first (tests/web); a caller
    // that skips validation still gets the domain's 422.
    let store = Store::default();
    for given in [6, -1, i64::MAX] {
        let err = store.create(NewThing { name: "chair".into(), rating_out_of_five: given }).unwrap_err();
        assert!(matches!(err, ThingError::RatingOutOfRange { given: g } if g == given), "{err:?}");
        assert_eq!((err.status().as_u16(), err.code()), (422, "things.rating_out_of_range"));
    }
}

#[test]
fn new_things_declare_their_rules() {
    use validator::Validate;
    let new = |name: &str, rating_out_of_five| NewThing { name: name.into(), rating_out_of_five };
    assert!(new("lamp", 0).validate().is_ok());
    assert!(new(&"\u{e9}".repeat(100), 5).validate().is_ok(), "100 characters, 200 bytes");
    for (thing, field, code) in [
        (new("", 3), "name", "length"),
        (new(&"n".repeat(101), 3), "name", "length"),
        (new("lamp", 6), "rating_out_of_five", "range"),
        (new("lamp", -1), "rating_out_of_five", "range"),
    ] {
        let errors = thing.validate().unwrap_err();
        let fields = errors.field_errors();
        assert_eq!(fields.len(), 1, "{errors:?}");
        assert_eq!(fields[field][0].code, code, "{errors:?}");
    }
}
