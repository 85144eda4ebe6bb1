# keras-vis 0.4.1: vis/utils/utils.py line 346 (method _BackendAgnosticImageSlice.__getitem__, `self` rebuilt by its __init__ from default arguments)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "item_slice", "shape": [4, 5]}], "factory": false, "function": "__getitem__", "random": false, "seed": 64}
from keras import backend as K


class _Self:
    """`self` of _BackendAgnosticImageSlice: the attributes __getitem__ reads, set as _BackendAgnosticImageSlice.__init__ sets them."""

    pass


def __getitem__(self, item_slice):
    """Assuming a slice for shape `(samples, channels, image_dims...)`
    """
    if K.image_data_format() == 'channels_first':
        return item_slice
    else:
        # Move channel index to last position.
        item_slice = list(item_slice)
        item_slice.append(item_slice.pop(1))
        return tuple(item_slice)
