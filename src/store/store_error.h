// The one error of the store's backends.
#pragma once

#include <stdexcept>

namespace wenku::store {

// Thrown for any failure of the underlying database; the message names the operation.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace wenku::store
