// The errors of the store's backends.
#pragma once

#include <stdexcept>

namespace wenku::store {

// Thrown for any failure of the underlying database; the message names the operation.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The database cannot do this now, though nothing is wrong with the request: its server
// cannot be reached, or it is a read-only standby and this is a write. Reads may still
// succeed (from a standby); the site answers writes with its 暂时只读 page.
class StoreUnavailable : public StoreError {
 public:
  using StoreError::StoreError;
};

}  // namespace wenku::store
