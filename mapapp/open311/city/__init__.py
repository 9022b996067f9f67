"""Sending concerns to the city's own Open311 endpoint and following their status there.

The other side of :mod:`mapapp.open311` (our GeoReport server): here mapapp is the client.
``endpoints`` stores the city's endpoints, ``queue`` queues concerns, ``sending`` posts them
(``client`` speaks GeoReport v2, ``links`` builds the public links they carry), ``refresh``
follows the city's status, ``state`` settles uncertain sends; ``pages`` (``/organiser/city``)
and ``cli`` (``mapapp city``) are the two ways in.
"""
