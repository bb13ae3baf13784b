use apierror::ApiError;

#[derive(ApiError)]
pub union Bits {
    int: u32,
    float: f32,
}

fn main() {}
